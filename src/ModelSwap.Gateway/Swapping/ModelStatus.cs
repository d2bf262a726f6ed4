namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// One model's state at one moment, published by the coordinator's loop after each change.
/// <paramref name="InFlight"/> counts leases held on the current process; <paramref name="Queued"/> the
/// requests waiting for the model. <paramref name="LoadProgress"/> is how far a starting model has
/// loaded (0..1), when its server reports it (llama-server does; see <c>LoadProgressReader</c>); null otherwise.
/// </summary>
public sealed record ModelStatus(
    string ModelId,
    ModelState State,
    int InFlight,
    int Queued,
    int? Pid,
    DateTimeOffset? ReadySince,
    DateTimeOffset? LastUsed,
    double? LoadProgress = null);
