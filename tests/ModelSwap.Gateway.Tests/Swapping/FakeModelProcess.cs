using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Tests.Swapping;

/// <summary>
/// A model process the test drives: its start finishes when the test says (or at once when automatic),
/// its exit happens when the test crashes it or stops it. Records what the coordinator asked of it.
/// </summary>
internal sealed class FakeModelProcess : IModelProcess
{
    private readonly TaskCompletionSource _startGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FakeProcessFactory _factory;
    private readonly int _pid;
    private int _stopCount;
    private int _dead;

    public FakeModelProcess(FakeProcessFactory factory, ModelConfig model, int pid, bool autoStart)
    {
        _factory = factory;
        Model = model;
        _pid = pid;
        if (autoStart)
        {
            _startGate.TrySetResult();
        }
    }

    public ModelConfig Model { get; }

    public int? ProcessId { get; private set; }

    public Task Exited => _exited.Task;

    public LogRing Logs { get; } = new(100);

    public TaskCompletionSource StartCalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource StopCalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when StartAsync saw its token cancelled.</summary>
    public bool StartWasCancelled { get; private set; }

    public int StopCount => Volatile.Read(ref _stopCount);

    public bool Disposed { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ProcessId = _pid;
        Logs.Append($"{Model.Id} starting");
        _factory.Record($"start {Model.Id}");
        _factory.ProcessCameAlive();
        StartCalled.TrySetResult();
        try
        {
            await _startGate.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            StartWasCancelled = true;
            Die();
            throw;
        }
        catch
        {
            Die();
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _stopCount);
        _factory.Record($"stop {Model.Id}");
        Die();
        StopCalled.TrySetResult();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    public void CompleteStart() => _startGate.TrySetResult();

    public double? LoadProgress { get; private set; }

    public event Action? LoadProgressChanged;

    /// <summary>The server reports how far it has loaded, as llama-server does while starting.</summary>
    public void ReportProgress(double fraction)
    {
        LoadProgress = fraction;
        LoadProgressChanged?.Invoke();
    }

    public void FailStart(string message) =>
        _startGate.TrySetException(new ModelStartException(Model.Id, message, ["fake: " + message]));

    /// <summary>The process dies on its own.</summary>
    public void Crash()
    {
        Logs.Append($"{Model.Id} crashed");
        Die();
    }

    private void Die()
    {
        if (Interlocked.Exchange(ref _dead, 1) == 0)
        {
            _factory.ProcessDied();
        }
        _exited.TrySetResult();
    }
}
