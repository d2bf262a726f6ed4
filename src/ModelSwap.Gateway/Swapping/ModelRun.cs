using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// One run of a model's process, from start to stop. Leases point at their run, so a lease released
/// after its process crashed and was replaced never miscounts the new run. Touched only by the loop,
/// except the read-only members a lease reads.
/// </summary>
internal sealed class ModelRun
{
    public ModelRun(ModelEntry entry, ModelConfig model, IModelProcess process, long startedAt)
    {
        Entry = entry;
        Model = model;
        Process = process;
        StartedAt = startedAt;
    }

    public ModelEntry Entry { get; }

    /// <summary>The configuration the process was started with (its proxy address, command).</summary>
    public ModelConfig Model { get; }

    public IModelProcess Process { get; }

    /// <summary>TimeProvider timestamp of the start, for the log.</summary>
    public long StartedAt { get; }

    /// <summary>Cancelled when nobody wants the start any more (evicted, unloaded, shutdown).</summary>
    public CancellationTokenSource StartCancellation { get; } = new();

    /// <summary>True once the loop itself cancelled the start: its waiters then stay queued.</summary>
    public bool StartCancelledByUs { get; set; }

    public int InFlight { get; set; }

    /// <summary>What this run was expected to need when it started (null: unknown).</summary>
    public Core.Memory.Footprint? Estimate { get; set; }

    /// <summary>The process tree's memory as last measured (null: not yet).</summary>
    public MeasuredMemory? Measured { get; set; }

    /// <summary>Whether any request was granted on this run, so its peak reflects real use.</summary>
    public bool Served { get; set; }

    /// <summary>Loading progress 0..1 while starting, when known.</summary>
    public double? LoadProgress { get; set; }

    /// <summary>
    /// The idle timeout a client set for this run (Ollama's keep_alive), overriding the configured TTL
    /// until the process stops: <see cref="TimeSpan.Zero"/> stops it as soon as it is idle,
    /// <see cref="Timeout.InfiniteTimeSpan"/> keeps it loaded. Null: the configured TTL.
    /// </summary>
    public TimeSpan? KeepAlive { get; set; }

    /// <summary>True once the run's stop has completed; pending unloads watch for this.</summary>
    public bool Ended { get; set; }
}
