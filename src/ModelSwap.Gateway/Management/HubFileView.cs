namespace ModelSwap.Gateway.Management;

/// <summary>A file of a Hub repository. <see cref="Sha256"/> is the LFS oid (null for small non-LFS files).</summary>
public sealed record HubFileView(string Path, string FileName, long Size, string? Sha256)
{
    internal static HubFileView From(Hub.HuggingFace.HubFile f) => new(f.Path, f.FileName, f.Size, f.Sha256);
}
