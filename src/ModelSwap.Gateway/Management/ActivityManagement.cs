using Microsoft.Data.Sqlite;
using ModelSwap.Gateway.Activity;

namespace ModelSwap.Gateway.Management;

/// <summary>The requests registry and the history behind <see cref="IActivityManagement"/>; reads run off the caller's thread.</summary>
internal sealed class ActivityManagement(InFlightRequests requests, ActivityHistory history, TimeProvider time) : IActivityManagement
{
    public IReadOnlyList<InFlightRequestView> InFlight()
    {
        var now = time.GetUtcNow();
        return [.. requests.Snapshot().Select(r => InFlightRequestView.From(r, now))];
    }

    public bool Cancel(string id) => requests.TryEnd(id, RequestEnd.Cancelled());

    public Task<ActivityPage> ListAsync(ActivityQuery query, CancellationToken cancellationToken)
    {
        Validate(query);
        return ReadAsync(() => history.List(query), cancellationToken);
    }

    public async Task<ActivityDetail> GetAsync(long id, CancellationToken cancellationToken) =>
        await ReadAsync(() => history.Get(id), cancellationToken).ConfigureAwait(false)
        ?? throw new ManagementException(ManagementFailure.NotFound, "activity_not_found",
            $"no request {id} in the history (it may have been pruned); GET /api/activity lists them");

    public Task<ActivitySummary> SummaryAsync(CancellationToken cancellationToken) => ReadAsync(history.Summary, cancellationToken);

    private static void Validate(ActivityQuery query)
    {
        if (query.Limit is < 1 or > ActivityQuery.MaxLimit)
        {
            throw Invalid($"limit must be from 1 to {ActivityQuery.MaxLimit}, got {query.Limit}");
        }
        if (query.StatusClass is { } statusClass && statusClass is < 1 or > 5)
        {
            throw Invalid($"status must be a class 1xx to 5xx (e.g. status=5xx), got {statusClass}xx");
        }
        if (query is { Since: { } since, Until: { } until } && until < since)
        {
            throw Invalid($"until ({until:O}) is before since ({since:O})");
        }
    }

    private static ManagementException Invalid(string message) => new(ManagementFailure.InvalidRequest, "invalid_activity_filter", message);

    private static async Task<T> ReadAsync<T>(Func<T> read, CancellationToken cancellationToken)
    {
        try
        {
            // SQLite reads are synchronous: kept off the request's (or the circuit's) thread.
            return await Task.Run(read, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new ManagementException(ManagementFailure.Failed, "activity_unreadable",
                $"the request history cannot be read: {ex.Message}", ex);
        }
    }
}
