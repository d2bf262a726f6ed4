namespace ModelSwap.Engine.Api;

/// <summary>An image from a request's content (decoded from its data URL), and where it was, for error messages.</summary>
/// <param name="Remote">An http(s) URL still to fetch (<see cref="ImageFetcher"/>); <paramref name="Data"/> is then empty.</param>
internal sealed record PromptImage(byte[] Data, string MediaType, string Where, string Param, Uri? Remote = null)
{
    /// <summary>An image named by URL: fetched once the request is known to need it (the model has a projector).</summary>
    public static PromptImage ToFetch(Uri url, string where, string param) => new([], "", where, param, url);
}
