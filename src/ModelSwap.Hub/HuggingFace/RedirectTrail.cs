namespace ModelSwap.Hub.HuggingFace;

/// <summary>
/// Headers the Hub puts on its resolve redirect (X-Linked-Etag = the LFS sha256, X-Linked-Size,
/// X-Repo-Commit). The CDN's final answer lacks them, so they are kept from the hop that had them.
/// </summary>
internal sealed class RedirectTrail
{
    public string? LinkedEtag { get; private set; }

    public long? LinkedSize { get; private set; }

    public string? RepoCommit { get; private set; }

    public void Observe(HttpResponseMessage response)
    {
        LinkedEtag ??= Header(response, "X-Linked-Etag");
        RepoCommit ??= Header(response, "X-Repo-Commit");
        if (LinkedSize is null && long.TryParse(Header(response, "X-Linked-Size"), out var size))
        {
            LinkedSize = size;
        }
    }

    internal static string? Header(HttpResponseMessage response, string name)
    {
        if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
        {
            var value = values.FirstOrDefault();
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }
        return null;
    }
}
