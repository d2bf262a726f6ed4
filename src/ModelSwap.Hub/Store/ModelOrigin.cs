namespace ModelSwap.Hub.Store;

public sealed record ModelOrigin(string Repo, string Revision, string? Commit, DateTimeOffset DownloadedAt)
{
    public override string ToString() => $"{Repo}@{Revision}";
}
