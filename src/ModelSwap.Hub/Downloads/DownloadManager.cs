using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelSwap.Hub.HuggingFace;
using ModelSwap.Hub.Store;

namespace ModelSwap.Hub.Downloads;

/// <summary>
/// The download queue: jobs run in order, <see cref="DownloadManagerOptions.MaxConcurrentDownloads"/> at a
/// time. Each job fetches its files (split parts, mmproj) resumably and verified, then records them in the
/// models dir's manifest and raises <see cref="Completed"/>. Partial files survive failures and restarts,
/// so enqueuing the same files again resumes them.
/// </summary>
public sealed partial class DownloadManager : IAsyncDisposable
{
    private readonly DownloadManagerOptions _options;
    private readonly HubHttp _http;
    private readonly HuggingFaceClient _client;
    private readonly IFreeSpaceProvider _freeSpace;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, DownloadJob> _jobs = new(StringComparer.Ordinal);
    private readonly Channel<DownloadJob> _queue = Channel.CreateUnbounded<DownloadJob>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Task[] _workers;
    private readonly object _enqueueGate = new();
    private long _sequence;

    public DownloadManager(DownloadManagerOptions options, HubOptions hub, IFreeSpaceProvider? freeSpace = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hub);
        if (options.MaxConcurrentDownloads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxConcurrentDownloads must be at least 1.");
        }
        _options = options;
        _logger = loggerFactory?.CreateLogger<DownloadManager>() ?? NullLogger<DownloadManager>.Instance;
        _http = new HubHttp(hub, _logger);
        _client = new HuggingFaceClient(_http, ownsHttp: false);
        _freeSpace = freeSpace ?? new DriveFreeSpaceProvider();
        Runner = new DownloadJobRunner(_options, _client, new FileDownloader(_http, _options, _logger), _freeSpace, _logger, RaiseProgress);
        _workers = Enumerable.Range(0, options.MaxConcurrentDownloads).Select(_ => Task.Run(WorkAsync)).ToArray();
    }

    public string ModelsDir => _options.ModelsDir;

    /// <summary>Progress of every job: at most one per ProgressInterval per job, plus one final event.</summary>
    public event EventHandler<DownloadProgress>? ProgressChanged;

    /// <summary>A job finished successfully: files in place and in the manifest (regenerate the config here).</summary>
    public event EventHandler<DownloadCompleted>? Completed;

    private DownloadJobRunner Runner { get; }

    /// <summary>
    /// Validates and queues a job. Throws ArgumentException for bad repo/revision/file names or paths
    /// leaving the models dir. Enqueuing files that an unfinished job already fetches returns that job.
    /// </summary>
    public DownloadJob Enqueue(DownloadRequest request) => Enqueue(request, resumeId: null);

    /// <summary>
    /// Runs a cancelled or failed job again under the same id: its kept .part files make it continue where
    /// it stopped. A queued or running job is returned as is. Null for an unknown id;
    /// <see cref="DownloadFailure.Conflict"/> for a completed job (pull it again to fetch it anew).
    /// </summary>
    public DownloadJob? Resume(string id)
    {
        if (!_jobs.TryGetValue(id, out var job))
        {
            return null;
        }
        if (!job.Status.IsFinished)
        {
            return job;
        }
        if (job.State == DownloadState.Completed)
        {
            throw new DownloadException(DownloadFailure.Conflict, $"Download {id} ({job.Request.Repo}) has already completed; there is nothing to resume.");
        }
        return Enqueue(job.Request, id);
    }

    private DownloadJob Enqueue(DownloadRequest request, string? resumeId)
    {
        ArgumentNullException.ThrowIfNull(request);
        HubNames.ValidateRepo(request.Repo);
        HubNames.ValidateRevision(request.Revision);
        if (request.Files is null || request.Files.Count == 0)
        {
            throw new ArgumentException($"Download of {request.Repo} names no files.");
        }
        var finalPaths = request.Files.Select(f => ModelPlacement.FinalPath(_options.ModelsDir, request.Repo, f.Path)).ToList();
        if (finalPaths.Distinct(StringComparer.Ordinal).Count() != finalPaths.Count)
        {
            throw new ArgumentException($"Download of {request.Repo} names a file twice.");
        }
        foreach (var file in request.Files)
        {
            if (file.Size is < 0)
            {
                throw new ArgumentException($"File {file.Path} has a negative size.");
            }
            if (file.Sha256 is { } sha && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigit)))
            {
                throw new ArgumentException($"File {file.Path}: sha256 must be 64 hex digits.");
            }
        }
        lock (_enqueueGate)
        {
            if (resumeId is not null && _jobs.TryGetValue(resumeId, out var previous) && !previous.Status.IsFinished)
            {
                return previous; // resumed twice at once: the first one runs
            }
            foreach (var active in _jobs.Values.Where(j => !j.Status.IsFinished))
            {
                if (active.FinalPaths.Intersect(finalPaths, StringComparer.Ordinal).Any())
                {
                    if (active.FinalPaths.ToHashSet(StringComparer.Ordinal).SetEquals(finalPaths))
                    {
                        return active;
                    }
                    throw new DownloadException(DownloadFailure.Conflict,
                        $"Job {active.Id} is already downloading some of these files ({active.Request}); wait for it or cancel it.");
                }
            }
            var id = resumeId ?? $"dl-{Interlocked.Increment(ref _sequence)}-{Guid.NewGuid().ToString("N")[..8]}";
            _jobs.TryGetValue(id, out var replaced);
            var job = new DownloadJob(id, request, finalPaths, _options.TimeProvider.GetUtcNow());
            _jobs[id] = job;
            if (!_queue.Writer.TryWrite(job))
            {
                if (replaced is null)
                {
                    _jobs.TryRemove(id, out _);
                }
                else
                {
                    _jobs[id] = replaced;
                }
                throw new ObjectDisposedException(nameof(DownloadManager));
            }
            LogQueued(_logger, id, request.Repo, request.Files.Count);
            RaiseProgress(job, job.Status, isFinal: false);
            return job;
        }
    }

    /// <summary>
    /// Cancels a queued or running job. Its .part files are deleted unless <paramref name="keepPartial"/>
    /// (then a later Enqueue of the same files resumes). False if there is no such unfinished job.
    /// </summary>
    public bool Cancel(string id, bool keepPartial = false)
    {
        if (!_jobs.TryGetValue(id, out var job) || !job.RequestCancel(keepPartial, out var wasQueued))
        {
            return false;
        }
        if (wasQueued)
        {
            if (!keepPartial)
            {
                Runner.DeletePartials(job);
            }
            var status = job.Status with { State = DownloadState.Cancelled, UpdatedAt = _options.TimeProvider.GetUtcNow() };
            if (job.Publish(status))
            {
                RaiseProgress(job, status, isFinal: true);
            }
        }
        return true;
    }

    /// <summary>Every job of this manager's lifetime, oldest first.</summary>
    public IReadOnlyList<DownloadJob> List() =>
        _jobs.Values.OrderBy(j => j.EnqueuedAt).ThenBy(j => j.Id, StringComparer.Ordinal).ToList();

    public DownloadJob? Get(string id) => _jobs.TryGetValue(id, out var job) ? job : null;

    /// <summary>Forgets finished jobs (the list otherwise grows for the life of the service).</summary>
    public int RemoveFinished()
    {
        var removed = 0;
        foreach (var job in _jobs.Values.Where(j => j.Status.IsFinished))
        {
            removed += _jobs.TryRemove(job.Id, out _) ? 1 : 0;
        }
        return removed;
    }

    private async Task WorkAsync()
    {
        await foreach (var job in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (!job.TryStart(_options.TimeProvider.GetUtcNow()))
            {
                continue;
            }
            var (final, modelPaths) = await Runner.RunAsync(job).ConfigureAwait(false);
            if (final.State == DownloadState.Completed)
            {
                try
                {
                    Completed?.Invoke(this, new DownloadCompleted(job, final, modelPaths));
                }
                catch (Exception e)
                {
                    LogHandlerFailed(_logger, "Completed", e);
                }
            }
            job.Publish(final);
            RaiseProgress(job, final, isFinal: true);
        }
    }

    private void RaiseProgress(DownloadJob job, DownloadStatus status, bool isFinal)
    {
        try
        {
            ProgressChanged?.Invoke(this, new DownloadProgress(job.Id, job.Request, status, isFinal));
        }
        catch (Exception e)
        {
            LogHandlerFailed(_logger, "ProgressChanged", e);
        }
    }

    /// <summary>Stops the queue; running jobs are cancelled keeping their .part files, so a new manager resumes them.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        foreach (var job in _jobs.Values.Where(j => !j.Status.IsFinished))
        {
            Cancel(job.Id, keepPartial: true);
        }
        await Task.WhenAll(_workers).ConfigureAwait(false);
        _client.Dispose();
        _http.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued download {JobId}: {Repo}, {FileCount} file(s)")]
    private static partial void LogQueued(ILogger logger, string jobId, string repo, int fileCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "A {Handler} handler threw")]
    private static partial void LogHandlerFailed(ILogger logger, string handler, Exception exception);
}
