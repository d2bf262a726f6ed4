namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// One model's state at one moment, published by the coordinator's loop after each change.
/// <paramref name="InFlight"/> counts leases held on the current process; <paramref name="Queued"/> the
/// requests waiting for the model.
/// </summary>
public sealed record ModelStatus(
    string ModelId,
    ModelState State,
    int InFlight,
    int Queued,
    int? Pid,
    DateTimeOffset? ReadySince,
    DateTimeOffset? LastUsed);
