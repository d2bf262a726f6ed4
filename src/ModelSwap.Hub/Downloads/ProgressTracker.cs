namespace ModelSwap.Hub.Downloads;

/// <summary>
/// Counts a job's bytes and decides when a progress event is due (at most one per interval). Speed is
/// measured over a sliding window of network bytes only, so resumed bytes already on disk don't
/// inflate it. Written by the job's worker alone.
/// </summary>
internal sealed class ProgressTracker
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly Queue<(long Timestamp, long Transferred)> _samples = new();
    private long _lastPublished = long.MinValue;
    private long _transferred;

    public ProgressTracker(TimeProvider time, TimeSpan interval)
    {
        _time = time;
        _interval = interval;
    }

    public long Done { get; private set; }

    public long? Total { get; set; }

    public void Add(long delta, bool transferred)
    {
        Done += delta;
        if (transferred)
        {
            _transferred += delta;
        }
    }

    /// <summary>True when enough time passed since the last event; records a speed sample then.</summary>
    public bool Due()
    {
        var now = _time.GetTimestamp();
        if (_lastPublished != long.MinValue && _time.GetElapsedTime(_lastPublished, now) < _interval)
        {
            return false;
        }
        _lastPublished = now;
        return true;
    }

    public double BytesPerSecond()
    {
        var now = _time.GetTimestamp();
        _samples.Enqueue((now, _transferred));
        while (_samples.Count > 1 && _time.GetElapsedTime(_samples.Peek().Timestamp, now) > Window)
        {
            _samples.Dequeue();
        }
        var (oldestAt, oldestBytes) = _samples.Peek();
        var seconds = _time.GetElapsedTime(oldestAt, now).TotalSeconds;
        return seconds <= 0 ? 0 : (_transferred - oldestBytes) / seconds;
    }

    public DownloadStatus Snapshot(DownloadState state, string? currentFile, string? error)
    {
        var speed = state == DownloadState.Running ? BytesPerSecond() : 0;
        TimeSpan? eta = Total is { } total && speed > 0 ? TimeSpan.FromSeconds(Math.Max(0, total - Done) / speed) : null;
        return new DownloadStatus(state, Done, Total, speed, eta, currentFile, error, _time.GetUtcNow());
    }
}
