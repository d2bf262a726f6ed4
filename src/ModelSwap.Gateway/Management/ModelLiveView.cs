using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Management;

/// <summary>A model's process right now.</summary>
/// <param name="State">stopped, starting, ready or stopping (JSON: lower case).</param>
/// <param name="StartedAt">When it became ready.</param>
/// <param name="LastUsed">When its last request ended or began.</param>
/// <param name="InFlight">Requests being answered.</param>
/// <param name="Queued">Requests waiting for it.</param>
/// <param name="ResidentBytes">Resident memory of its whole process tree; null when stopped or unknown.</param>
/// <param name="LoadPercent">How much of the model is loaded (0-100) while it starts (its server's report, else the share of its files read)
/// ; 100 once ready; null otherwise.</param>
public sealed record ModelLiveView(
    ModelState State,
    int? Pid,
    int? Port,
    DateTimeOffset? StartedAt,
    DateTimeOffset? LastUsed,
    int InFlight,
    int Queued,
    long? ResidentBytes,
    int? LoadPercent = null)
{
    /// <summary>The estimated footprint (GGUF header and command line) in bytes; null when unknown.</summary>
    public long? EstimatedBytes { get; init; }

    /// <summary>What the memory budget counts for it; <see cref="BudgetSource"/> says why (config, measured, estimate).</summary>
    public long? BudgetedBytes { get; init; }

    public string? BudgetSource { get; init; }

    /// <summary>The peak resident memory of its process tree in this run.</summary>
    public long? PeakBytes { get; init; }

    /// <summary>GPU memory its processes hold, when a GPU tool reports it.</summary>
    public long? GpuBytes { get; init; }

    /// <summary>0..1 while starting, when known.</summary>
    public double? LoadProgress { get; init; }

    /// <summary>What a pending start of it waits for, in words.</summary>
    public string? WaitingFor { get; init; }

    /// <summary>Its queued requests with their place in the queue and since when they wait.</summary>
    public IReadOnlyList<QueuedRequest> QueuedRequests { get; init; } = [];

    public static ModelLiveView Stopped { get; } = new(ModelState.Stopped, null, null, null, null, 0, 0, null);
}
