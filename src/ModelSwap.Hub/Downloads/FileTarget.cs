namespace ModelSwap.Hub.Downloads;

/// <summary>One file to fetch: where from, where to, and what it must be.</summary>
internal sealed record FileTarget(
    Uri Url,
    string FinalPath,
    long? ExpectedSize,
    string? Sha256,
    string Repo,
    string Revision,
    string RepoPath)
{
    public string PartPath => FinalPath + ".part";

    public string SidecarPath => FinalPath + ".part.json";

    /// <summary>Bytes already on disk in a resumable .part (0 if none or not resumable).</summary>
    public long ResumableBytes()
    {
        var sidecar = PartialSidecar.TryLoad(SidecarPath);
        var part = new FileInfo(PartPath);
        if (sidecar is null || !part.Exists || !sidecar.Describes(NewSidecar(sidecar.Etag)))
        {
            return 0;
        }
        return ExpectedSize is { } size && part.Length > size ? 0 : part.Length;
    }

    public PartialSidecar NewSidecar(string? etag) =>
        new(Url.AbsoluteUri, etag, ExpectedSize, Sha256, Repo, Revision, RepoPath);
}
