namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// One model's state at one moment, published by the coordinator's loop after each change.
/// <paramref name="InFlight"/> counts leases held on the current process; <paramref name="Queued"/> the
/// requests waiting for the model. <paramref name="IdleTimeout"/> is how long it may stay idle before it
/// is stopped (null: never), <paramref name="IdleUntil"/> when that happens if it stays idle (null while
/// it is busy, stopped, or never stopped for idleness).
/// </summary>
public sealed record ModelStatus(
    string ModelId,
    ModelState State,
    int InFlight,
    int Queued,
    int? Pid,
    DateTimeOffset? ReadySince,
    DateTimeOffset? LastUsed,
    TimeSpan? IdleTimeout = null,
    DateTimeOffset? IdleUntil = null);
