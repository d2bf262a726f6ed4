namespace ModelSwap.Hub.Downloads;

/// <summary>
/// Raised when a job's files are in place and in the manifest, before <see cref="DownloadJob.Completion"/>
/// resolves (so a handler that regenerates the config finishes before a waiting pull reports success).
/// <see cref="ModelPaths"/> are the models now present (first part of split ones; no mmproj).
/// </summary>
public sealed record DownloadCompleted(DownloadJob Job, DownloadStatus Status, IReadOnlyList<string> ModelPaths);
