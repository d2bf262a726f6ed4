namespace ModelSwap.Hub.HuggingFace;

/// <summary>A file of a repo. <see cref="Sha256"/> is the LFS oid (null for small non-LFS files).</summary>
public sealed record HubFile(string Path, long Size, string? Sha256)
{
    public string FileName => System.IO.Path.GetFileName(Path);
}
