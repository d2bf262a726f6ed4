using System.Collections.Immutable;
using ModelSwap.Core.Memory;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// One model's state at one moment, published by the coordinator's loop after each change.
/// <paramref name="InFlight"/> counts leases held on the current process; <paramref name="Queued"/> the
/// requests waiting for the model. <paramref name="LoadProgress"/> is how far a starting model has
/// loaded (0..1), when its server reports it (llama-server does; see <c>LoadProgressReader</c>); null otherwise.
/// <paramref name="IdleTimeout"/> is how long it may stay idle before it is stopped (null: never),
/// <paramref name="IdleUntil"/> when that happens if it stays idle (null while it is busy, stopped, or
/// never stopped for idleness).
/// </summary>
internal sealed record ModelStatus(
    string ModelId,
    ModelState State,
    int InFlight,
    int Queued,
    int? Pid,
    DateTimeOffset? ReadySince,
    DateTimeOffset? LastUsed,
    TimeSpan? IdleTimeout = null,
    DateTimeOffset? IdleUntil = null)
{
    /// <summary>What the model is expected to need (its running process's, else its next start's); null when unknown.</summary>
    public Footprint? Estimate { get; init; }

    /// <summary>The bytes the budget counts for it: <c>memory:</c>, else its learned peak, else the estimate.</summary>
    public long? BudgetedBytes { get; init; }

    /// <summary>Where the estimate comes from: <c>config</c> (memory:), <c>measured</c> (a previous run's peak) or <c>estimate</c>.</summary>
    public string? BudgetSource { get; init; }

    /// <summary>The running process tree's measured memory.</summary>
    public MeasuredMemory? Measured { get; init; }

    /// <summary>Loading progress 0..1 while starting, when known.</summary>
    public double? LoadProgress { get; init; }

    /// <summary>What a start of this model waits for now, in words ("stopping x to free 1.2 GiB").</summary>
    public string? WaitingFor { get; init; }

    /// <summary>Its queued requests, each with its place in the whole queue (1 = served next) and since when it waits.</summary>
    public ImmutableArray<QueuedRequest> QueuedRequests { get; init; } = [];
}
