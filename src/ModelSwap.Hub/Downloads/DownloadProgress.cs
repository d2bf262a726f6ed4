namespace ModelSwap.Hub.Downloads;

/// <summary>A progress event: at most one per <c>ProgressInterval</c> per job, and always a final one.</summary>
public sealed record DownloadProgress(string JobId, DownloadRequest Request, DownloadStatus Status, bool IsFinal);
