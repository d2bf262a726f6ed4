namespace ModelSwap.Hub.Downloads;

/// <summary>
/// A queued or running download. <see cref="Status"/> is an immutable snapshot replaced by the worker;
/// read it once to get consistent numbers. <see cref="FinalPaths"/> follows the order of Request.Files.
/// </summary>
public sealed class DownloadJob
{
    private readonly object _gate = new();
    private readonly TaskCompletionSource<DownloadStatus> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DownloadStatus _status;

    internal DownloadJob(string id, DownloadRequest request, IReadOnlyList<string> finalPaths, DateTimeOffset enqueuedAt)
    {
        Id = id;
        Request = request;
        FinalPaths = finalPaths;
        EnqueuedAt = enqueuedAt;
        _status = new DownloadStatus(DownloadState.Queued, 0, KnownTotal(request), 0, null, null, null, enqueuedAt);
    }

    public string Id { get; }

    public DownloadRequest Request { get; }

    public IReadOnlyList<string> FinalPaths { get; }

    public DateTimeOffset EnqueuedAt { get; }

    public DownloadStatus Status => Volatile.Read(ref _status);

    public DownloadState State => Status.State;

    public long BytesDownloaded => Status.BytesDownloaded;

    public long? TotalBytes => Status.TotalBytes;

    public double BytesPerSecond => Status.BytesPerSecond;

    public TimeSpan? Eta => Status.Eta;

    public string? Error => Status.Error;

    /// <summary>Completes with the final status (Completed, Failed or Cancelled); never faults.</summary>
    public Task<DownloadStatus> Completion => _done.Task;

    internal CancellationTokenSource Cancellation { get; } = new();

    internal bool KeepPartial { get; private set; }

    /// <summary>Replaces the status unless the job already finished (a finished job never changes again).</summary>
    internal bool Publish(DownloadStatus status)
    {
        lock (_gate)
        {
            if (_status.IsFinished)
            {
                return false;
            }
            Volatile.Write(ref _status, status);
            if (status.IsFinished)
            {
                _done.TrySetResult(status);
            }
            return true;
        }
    }

    /// <summary>Queued → Running, unless cancelled meanwhile.</summary>
    internal bool TryStart(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_status.State != DownloadState.Queued)
            {
                return false;
            }
            Volatile.Write(ref _status, _status with { State = DownloadState.Running, UpdatedAt = now });
            return true;
        }
    }

    /// <summary>Asks for cancellation; true if the job was still queued (then the caller finishes it).</summary>
    internal bool RequestCancel(bool keepPartial, out bool wasQueued)
    {
        lock (_gate)
        {
            wasQueued = _status.State == DownloadState.Queued;
            if (_status.IsFinished)
            {
                return false;
            }
            KeepPartial = keepPartial;
        }
        Cancellation.Cancel();
        return true;
    }

    private static long? KnownTotal(DownloadRequest request) =>
        request.Files.All(f => f.Size is not null) ? request.Files.Sum(f => f.Size!.Value) : null;
}
