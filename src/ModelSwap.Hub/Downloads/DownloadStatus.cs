namespace ModelSwap.Hub.Downloads;

/// <summary>
/// An immutable snapshot of a job. Bytes are for the whole job (all parts); <see cref="TotalBytes"/> is
/// null until the sizes are known. Speed is averaged over the last seconds; ETA is null while unknown.
/// </summary>
public sealed record DownloadStatus(
    DownloadState State,
    long BytesDownloaded,
    long? TotalBytes,
    double BytesPerSecond,
    TimeSpan? Eta,
    string? CurrentFile,
    string? Error,
    DateTimeOffset UpdatedAt)
{
    public bool IsFinished => State is DownloadState.Completed or DownloadState.Failed or DownloadState.Cancelled;
}
