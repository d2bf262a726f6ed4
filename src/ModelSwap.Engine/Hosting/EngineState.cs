namespace ModelSwap.Engine.Hosting;

/// <summary>
/// What the HTTP side may use: the status, and once ready the model and its inference loop. Written
/// only by the loader (once), read by every request.
/// </summary>
internal sealed class EngineState(EngineOptions options, TimeProvider time)
{
    private volatile EngineStatus _status = EngineStatus.NotStarted;
    private volatile ReadyModel? _ready;

    public EngineOptions Options { get; } = options;
    public TimeProvider Time { get; } = time;
    public EngineStatus Status => _status;
    public string? FailureReason { get; private set; }

    /// <summary>The loaded model and its loop; null unless <see cref="Status"/> is Ready.</summary>
    public ReadyModel? Ready => _ready;

    public void SetLoading() => _status = EngineStatus.Loading;

    public void SetReady(ReadyModel ready)
    {
        _ready = ready;
        _status = EngineStatus.Ready;
    }

    public void SetFailed(string reason)
    {
        FailureReason = reason;
        _status = EngineStatus.Failed;
    }

    public ReadyModel? SetStopped()
    {
        var ready = _ready;
        _status = EngineStatus.Stopped;
        _ready = null;
        return ready;
    }
}
