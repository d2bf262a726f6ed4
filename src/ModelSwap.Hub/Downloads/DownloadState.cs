namespace ModelSwap.Hub.Downloads;

public enum DownloadState
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}
