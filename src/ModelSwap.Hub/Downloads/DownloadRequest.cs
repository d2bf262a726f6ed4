namespace ModelSwap.Hub.Downloads;

/// <summary>
/// One download job: files of one repo at one revision that belong together (a model's split parts
/// and its mmproj). Files land in &lt;models-dir&gt;/&lt;owner&gt;_&lt;name&gt;/&lt;path in repo&gt;.
/// </summary>
public sealed record DownloadRequest(string Repo, string Revision, IReadOnlyList<DownloadFile> Files)
{
    public override string ToString() =>
        $"{Repo}@{Revision}: {string.Join(", ", Files.Select(f => f.Path))}";
}
