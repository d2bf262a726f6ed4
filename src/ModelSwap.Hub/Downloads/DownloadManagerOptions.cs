namespace ModelSwap.Hub.Downloads;

public sealed class DownloadManagerOptions
{
    public DownloadManagerOptions(string modelsDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelsDir);
        ModelsDir = Path.GetFullPath(modelsDir);
    }

    /// <summary>Where models go (absolute).</summary>
    public string ModelsDir { get; }

    /// <summary>Jobs downloading at once; the rest wait in order.</summary>
    public int MaxConcurrentDownloads { get; init; } = 2;

    /// <summary>In-process resumes (Range requests) after a dropped connection before the job fails.</summary>
    public int MaxResumeAttempts { get; init; } = 5;

    /// <summary>Wait before the first resume; doubles per attempt.</summary>
    public TimeSpan ResumeDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A body that delivers nothing for this long is treated as a dropped connection.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Minimum time between two progress events of one job (10 per second by default).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Bytes that must stay free after the download, so a pull does not fill the disk to the brim.</summary>
    public long FreeSpaceReserve { get; init; }

    /// <summary>
    /// fsync each file before renaming it into place, so a power cut never leaves a truncated model under
    /// its final name. On by default; costs the disk's write time of the file at the end of a very fast
    /// (LAN, loopback) download, nothing noticeable at internet speeds (writeback starts while downloading).
    /// </summary>
    public bool FlushToDisk { get; init; } = true;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
