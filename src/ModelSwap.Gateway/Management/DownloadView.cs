namespace ModelSwap.Gateway.Management;

/// <summary>A download job as /api/downloads and the <c>download</c> event show it.</summary>
/// <param name="State">queued, running, completed, failed or cancelled.</param>
/// <param name="Files">The final paths of its files.</param>
/// <param name="Total">Bytes of all files; null until known.</param>
/// <param name="EtaSeconds">Seconds left at the current speed; null while unknown.</param>
public sealed record DownloadView(
    string Id,
    string Repo,
    string Revision,
    IReadOnlyList<string> Files,
    string State,
    long Bytes,
    long? Total,
    double BytesPerSecond,
    double? EtaSeconds,
    string? CurrentFile,
    string? Error)
{
    /// <summary>
    /// The files as the plan named them, in the order they are fetched (the same order as
    /// <see cref="Files"/>): what Ollama's /api/pull reports per layer (digest, size).
    /// </summary>
    public IReadOnlyList<DownloadPartView> Parts { get; init; } = [];

    internal static DownloadView From(string id, Hub.Downloads.DownloadRequest request, IReadOnlyList<string> paths, Hub.Downloads.DownloadStatus status) => new(
        id,
        request.Repo,
        request.Revision,
        paths,
        status.State.ToString().ToLowerInvariant(),
        status.BytesDownloaded,
        status.TotalBytes,
        Math.Round(status.BytesPerSecond),
        status.Eta is { } eta ? Math.Round(eta.TotalSeconds, 1) : null,
        status.CurrentFile,
        status.Error)
    {
        Parts = request.Files.Select(f => new DownloadPartView(f.Path, f.Size, f.Sha256?.ToLowerInvariant())).ToList(),
    };

    internal static DownloadView From(Hub.Downloads.DownloadJob job) => From(job.Id, job.Request, job.FinalPaths, job.Status);
}
