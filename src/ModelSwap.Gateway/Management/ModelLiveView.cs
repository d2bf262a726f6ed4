using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Management;

/// <summary>A model's process right now.</summary>
/// <param name="State">stopped, starting, ready or stopping (JSON: lower case).</param>
/// <param name="StartedAt">When it became ready.</param>
/// <param name="LastUsed">When its last request ended or began.</param>
/// <param name="InFlight">Requests being answered.</param>
/// <param name="Queued">Requests waiting for it.</param>
/// <param name="ResidentBytes">Resident memory of its whole process tree; null when stopped or unknown.</param>
public sealed record ModelLiveView(
    ModelState State,
    int? Pid,
    int? Port,
    DateTimeOffset? StartedAt,
    DateTimeOffset? LastUsed,
    int InFlight,
    int Queued,
    long? ResidentBytes)
{
    public static ModelLiveView Stopped { get; } = new(ModelState.Stopped, null, null, null, null, 0, 0, null);
}
