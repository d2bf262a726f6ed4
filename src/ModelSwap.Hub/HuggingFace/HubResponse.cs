namespace ModelSwap.Hub.HuggingFace;

/// <summary>The final answer after redirects, where it came from, and what the redirect hops said.</summary>
internal sealed record HubResponse(HttpResponseMessage Message, Uri FinalUri, bool TokenSent, RedirectTrail Trail) : IDisposable
{
    public void Dispose() => Message.Dispose();
}
