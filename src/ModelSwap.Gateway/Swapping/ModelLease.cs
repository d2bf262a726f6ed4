using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// The right to send one request to a ready model. While any lease is held the model is never
/// stopped by a swap, TTL or reload; dispose it when the response has ended (idempotent).
/// </summary>
internal sealed class ModelLease : IAsyncDisposable, IDisposable
{
    private readonly ModelRun _run;
    private readonly Action<ModelRun> _release;
    private int _released;

    internal ModelLease(ModelConfig model, ModelRun run, Action<ModelRun> release)
    {
        Model = model;
        _run = run;
        _release = release;
    }

    public string ModelId => Model.Id;

    /// <summary>The model's current configuration (aliases, filters, useModelName as of the grant).</summary>
    public ModelConfig Model { get; }

    /// <summary>Where the running process listens: the one it was started with (moved if its port was taken).</summary>
    public Uri Proxy => _run.Process.Model.Proxy;

    /// <summary>Operating-system id of the process serving this lease.</summary>
    public int? ProcessId => _run.Process.ProcessId;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _release(_run);
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
