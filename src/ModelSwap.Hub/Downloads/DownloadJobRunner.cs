using Microsoft.Extensions.Logging;
using ModelSwap.Hub.HuggingFace;
using ModelSwap.Hub.Store;

namespace ModelSwap.Hub.Downloads;

/// <summary>Runs one job: fills in sizes and hashes, checks free space, fetches each file, writes the manifest.</summary>
internal sealed partial class DownloadJobRunner
{
    private readonly DownloadManagerOptions _options;
    private readonly HuggingFaceClient _client;
    private readonly FileDownloader _downloader;
    private readonly IFreeSpaceProvider _freeSpace;
    private readonly ILogger _logger;
    private readonly Action<DownloadJob, DownloadStatus, bool> _progress;

    public DownloadJobRunner(
        DownloadManagerOptions options, HuggingFaceClient client, FileDownloader downloader, IFreeSpaceProvider freeSpace,
        ILogger logger, Action<DownloadJob, DownloadStatus, bool> progress)
    {
        _options = options;
        _client = client;
        _downloader = downloader;
        _freeSpace = freeSpace;
        _logger = logger;
        _progress = progress;
    }

    /// <summary>Never throws: the outcome is the returned final status (and model paths on success).</summary>
    public async Task<(DownloadStatus Status, IReadOnlyList<string> ModelPaths)> RunAsync(DownloadJob job)
    {
        var ct = job.Cancellation.Token;
        var tracker = new ProgressTracker(_options.TimeProvider, _options.ProgressInterval);
        string? current = null;
        try
        {
            var targets = await ResolveTargetsAsync(job, ct).ConfigureAwait(false);
            tracker.Total = targets.All(t => t.ExpectedSize is not null) ? targets.Sum(t => t.ExpectedSize!.Value) : null;
            var manifest = ModelManifest.Load(_options.ModelsDir);
            var pending = targets.Where(t => !AlreadyPresent(t, manifest)).ToList();
            tracker.Add(targets.Except(pending).Sum(t => t.ExpectedSize ?? 0), transferred: false);
            CheckFreeSpace(pending);
            Report(job, tracker, current);
            string? commit = null;
            foreach (var target in pending)
            {
                current = target.RepoPath;
                Report(job, tracker, current);
                var fileCommit = await _downloader.DownloadAsync(target, (delta, transferred) =>
                {
                    tracker.Add(delta, transferred);
                    if (tracker.Due())
                    {
                        Report(job, tracker, current, force: true);
                    }
                }, ct).ConfigureAwait(false);
                commit ??= fileCommit;
            }
            var models = RecordInManifest(job, targets, commit);
            LogCompleted(_logger, job.Id, job.Request.Repo, tracker.Done);
            return (tracker.Snapshot(DownloadState.Completed, null, null), models);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // Cancellation can surface as OperationCanceledException or as an IOException from the socket.
            if (!job.KeepPartial)
            {
                DeletePartials(job);
            }
            else
            {
                DeleteUnresumablePartials(job);
            }
            LogCancelled(_logger, job.Id, job.KeepPartial);
            return (tracker.Snapshot(DownloadState.Cancelled, current, null), []);
        }
        catch (Exception e) when (e is DownloadException or HubException or ArgumentException or IOException or UnauthorizedAccessException or HttpRequestException)
        {
            var message = e is IOException or UnauthorizedAccessException
                ? $"{current ?? job.Request.Repo}: {e.Message}"
                : e.Message;
            LogFailed(_logger, job.Id, message);
            // Resumable .part files (with sidecar) stay for the next try; an empty one opened before the error goes.
            DeleteUnresumablePartials(job);
            return (tracker.Snapshot(DownloadState.Failed, current, message), []);
        }
        catch (Exception e)
        {
            // Never let one job take the worker down; the message still reaches the user.
            LogFailed(_logger, job.Id, e.ToString());
            return (tracker.Snapshot(DownloadState.Failed, current, $"Unexpected error: {e.Message}"), []);
        }
    }

    public void DeletePartials(DownloadJob job)
    {
        foreach (var path in job.FinalPaths.Where(p => Directory.Exists(Path.GetDirectoryName(p))))
        {
            File.Delete(path + ".part");
            File.Delete(path + ".part.json");
        }
    }

    /// <summary>A .part without its sidecar (cancelled before the first byte) could never be resumed.</summary>
    private static void DeleteUnresumablePartials(DownloadJob job)
    {
        foreach (var path in job.FinalPaths.Where(p => File.Exists(p + ".part") && !File.Exists(p + ".part.json")))
        {
            File.Delete(path + ".part");
        }
    }

    private void Report(DownloadJob job, ProgressTracker tracker, string? current, bool force = false)
    {
        if (!force && !tracker.Due())
        {
            return;
        }
        var status = tracker.Snapshot(DownloadState.Running, current, null);
        if (job.Publish(status))
        {
            _progress(job, status, false);
        }
    }

    /// <summary>Fills missing sizes and hashes from the repo's file list, so every file is verified.</summary>
    private async Task<List<FileTarget>> ResolveTargetsAsync(DownloadJob job, CancellationToken ct)
    {
        var request = job.Request;
        HubRepoFiles? listing = null;
        if (request.Files.Any(f => f.Size is null || f.Sha256 is null))
        {
            listing = await _client.ListFilesAsync(request.Repo, request.Revision, ct).ConfigureAwait(false);
        }
        var targets = new List<FileTarget>();
        for (var i = 0; i < request.Files.Count; i++)
        {
            var file = request.Files[i];
            var size = file.Size;
            var sha = file.Sha256?.ToLowerInvariant();
            if (listing is not null)
            {
                var listed = listing.FindFile(file.Path) ?? throw new DownloadException(DownloadFailure.NotFound,
                    $"{file.Path} is not in {request.Repo}@{request.Revision}.");
                size ??= listed.Size;
                sha ??= listed.Sha256;
            }
            var url = new Uri(_client.Options.Endpoint,
                $"{request.Repo}/resolve/{Uri.EscapeDataString(request.Revision)}/{HubNames.EscapePath(file.Path)}");
            targets.Add(new FileTarget(url, job.FinalPaths[i], size, sha, request.Repo, request.Revision, file.Path));
        }
        return targets;
    }

    /// <summary>A file already in place with the size and sha256 the manifest recorded is not fetched again.</summary>
    private bool AlreadyPresent(FileTarget target, IReadOnlyList<ManifestEntry> manifest)
    {
        var info = new FileInfo(target.FinalPath);
        if (!info.Exists || target.ExpectedSize is not { } size || info.Length != size || target.Sha256 is null)
        {
            return false;
        }
        var relative = PathSafety.Relative(_options.ModelsDir, target.FinalPath);
        return manifest.SelectMany(e => e.Files).Any(f =>
            f.Path == relative && string.Equals(f.Sha256, target.Sha256, StringComparison.OrdinalIgnoreCase));
    }

    private void CheckFreeSpace(IReadOnlyList<FileTarget> pending)
    {
        var needed = pending.Sum(t => Math.Max(0, (t.ExpectedSize ?? 0) - t.ResumableBytes())) + _options.FreeSpaceReserve;
        if (needed == 0)
        {
            return;
        }
        var available = _freeSpace.GetAvailableBytes(_options.ModelsDir);
        if (available < needed)
        {
            throw new DownloadException(DownloadFailure.InsufficientSpace,
                $"Not enough free space in {_options.ModelsDir}: the download needs {Bytes(needed)} but only {Bytes(available)} is available.");
        }
    }

    private IReadOnlyList<string> RecordInManifest(DownloadJob job, IReadOnlyList<FileTarget> targets, string? commit)
    {
        var files = targets.Select(t => new HubFile(t.RepoPath, t.ExpectedSize ?? new FileInfo(t.FinalPath).Length, t.Sha256)).ToList();
        var (variants, projectors) = GgufVariantGrouper.Group(files);
        var byRepoPath = targets.ToDictionary(t => t.RepoPath, t => t.FinalPath, StringComparer.Ordinal);
        string Rel(string repoPath) => PathSafety.Relative(_options.ModelsDir, byRepoPath[repoPath]);
        var now = _options.TimeProvider.GetUtcNow();
        var entries = variants.Select(v =>
        {
            var projector = GgufVariantGrouper.ChooseProjector(v, variants, projectors);
            return new ManifestEntry(
                Rel(v.Primary.Path), job.Request.Repo, job.Request.Revision, commit,
                v.Files.Select(f => new ManifestFile(Rel(f.Path), f.Size, f.Sha256)).ToList(),
                projector is null ? null : Rel(projector.Path), now);
        }).ToList();
        // A job of only an mmproj still records it, so the store can tell where it came from.
        entries.AddRange(projectors.Where(p => variants.Count == 0).Select(p => new ManifestEntry(
            Rel(p.Path), job.Request.Repo, job.Request.Revision, commit, [new ManifestFile(Rel(p.Path), p.Size, p.Sha256)], null, now)));
        ModelManifest.Upsert(_options.ModelsDir, entries);
        return variants.Select(v => byRepoPath[v.Primary.Path]).ToList();
    }

    internal static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.##} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.##} MiB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.##} KiB",
        _ => $"{bytes} bytes",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Download {JobId} of {Repo} completed ({Bytes} bytes)")]
    private static partial void LogCompleted(ILogger logger, string jobId, string repo, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Download {JobId} cancelled (partial kept: {KeepPartial})")]
    private static partial void LogCancelled(ILogger logger, string jobId, bool keepPartial);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Download {JobId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string jobId, string error);
}
