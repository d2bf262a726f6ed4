using ModelSwap.Gateway.Activity;

namespace ModelSwap.Gateway.Management;

/// <summary>
/// Requests to models, live and past, for every face (<c>/api/requests</c>, <c>/api/activity</c>, the
/// dashboard's Activity page). The history is the SQLite file in MODELSWAP_HOME; its failures are
/// <see cref="ManagementException"/>s (Failed), which the one exception handler turns into the envelope.
/// </summary>
public interface IActivityManagement
{
    /// <summary>Requests not yet ended, oldest first, with their tokens so far.</summary>
    IReadOnlyList<InFlightRequestView> InFlight();

    /// <summary>Ends an in-flight request (its upstream request too); false when no such request is in flight.</summary>
    bool Cancel(string id);

    /// <summary>A page of the history, newest first. Throws <see cref="ManagementException"/> (InvalidRequest) for a bad filter.</summary>
    Task<ActivityPage> ListAsync(ActivityQuery query, CancellationToken cancellationToken);

    /// <summary>One request with its excerpts. Throws <see cref="ManagementException"/> (NotFound).</summary>
    Task<ActivityDetail> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The last hour per model, minute by minute.</summary>
    Task<ActivitySummary> SummaryAsync(CancellationToken cancellationToken);
}
