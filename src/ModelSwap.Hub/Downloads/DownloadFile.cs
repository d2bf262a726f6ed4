namespace ModelSwap.Hub.Downloads;

/// <summary>
/// One repo file of a download. Size and Sha256 (the LFS oid) may be left null: the manager then reads
/// them from the repo's file list before it starts, so the file is still verified.
/// </summary>
public sealed record DownloadFile(string Path, long? Size = null, string? Sha256 = null);
