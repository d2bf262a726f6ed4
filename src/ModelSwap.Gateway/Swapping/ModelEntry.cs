using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Swapping;

/// <summary>The coordinator's loop-owned state for one model id. Never touched off the loop.</summary>
internal sealed class ModelEntry
{
    public ModelEntry(ModelConfig model)
    {
        Model = model;
    }

    public string Id => Model.Id;

    /// <summary>The model's current configuration; a running process may have been started with an older one.</summary>
    public ModelConfig Model { get; set; }

    /// <summary>False once a reload removed the model; the entry goes when its process has stopped.</summary>
    public bool InConfig { get; set; } = true;

    public ModelState State { get; set; } = ModelState.Stopped;

    /// <summary>The current run while Starting, Ready or Stopping; null when Stopped.</summary>
    public ModelRun? Run { get; set; }

    /// <summary>
    /// Sticky "stop once idle" (unload, reload, TTL, an eviction by a request already served, shutdown):
    /// no new lease is granted, and the process stops when its in-flight requests are done.
    /// </summary>
    public bool StopRequested { get; set; }

    public string? StopReason { get; set; }

    /// <summary>What a pending start of this model waits for, in words; null when nothing.</summary>
    public string? WaitingFor { get; set; }

    /// <summary>Being retired (its files deleted): every request is refused until the retirement ends.</summary>
    public bool Retiring { get; set; }

    public DateTimeOffset? ReadySince { get; set; }

    public DateTimeOffset? LastUsed { get; set; }

    public ITimer? TtlTimer { get; set; }

    /// <summary>When the armed TTL timer fires; null while no timer is armed.</summary>
    public DateTimeOffset? IdleUntil { get; set; }

    /// <summary>Bumped whenever the TTL timer is replaced, so a stale timer's message is ignored.</summary>
    public long TtlGeneration { get; set; }

    /// <summary>The status last published for this model.</summary>
    public ModelStatus? Published { get; set; }

    public int InFlight => Run?.InFlight ?? 0;

    /// <summary>The peak resident memory of the last run that served requests, and the definition it ran with.</summary>
    public (long Bytes, string Fingerprint)? LearnedPeak { get; set; }

    /// <summary>
    /// How long this model may stay idle before it is stopped: the run's keep-alive when a client set
    /// one, else the configured TTL. Null: never stopped for idleness.
    /// </summary>
    public TimeSpan? IdleTimeout(ModelSwapConfig config)
    {
        var ttl = Run?.KeepAlive ?? (InConfig ? config.TtlOf(Model) : Timeout.InfiniteTimeSpan);
        return ttl < TimeSpan.Zero ? null : ttl == TimeSpan.Zero && Run?.KeepAlive is null ? null : ttl;
    }

    public void RequestStop(string reason)
    {
        if (!StopRequested)
        {
            StopRequested = true;
            StopReason = reason;
        }
    }

    public void CancelTtl()
    {
        if (TtlTimer is not null)
        {
            TtlTimer.Dispose();
            TtlTimer = null;
            IdleUntil = null;
            TtlGeneration++;
        }
    }
}
