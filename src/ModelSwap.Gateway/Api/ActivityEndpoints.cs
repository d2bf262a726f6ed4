using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Gateway.Activity;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Gateway.Api;

/// <summary>
/// The request history over <see cref="IActivityManagement"/>: <c>GET /api/activity</c> (filters and
/// pages), <c>GET /api/activity/{id}</c> (with excerpts), <c>GET /api/activity/summary</c> (the last hour
/// per model, for charts). Query values are checked here and a bad one is named in a 400.
/// </summary>
internal static class ActivityEndpoints
{
    public static IEndpointRouteBuilder MapActivityEndpoints(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/activity").WithTags("Activity");
        api.MapGet("", ListAsync)
            .WithSummary("Finished requests to models, newest first; filters: model, route (prefix, e.g. \"POST /v1/chat\"), status (2xx, 4xx, 5xx), " +
                "since/until (ISO 8601), limit (1-500, default 50), before (an id: the next page)")
            .WithErrors(400, 500);
        api.MapGet("/summary", async (IActivityManagement activity, CancellationToken ct) =>
                TypedResults.Ok(await activity.SummaryAsync(ct).ConfigureAwait(false)))
            .WithSummary("The last hour per model in one-minute buckets: requests, median time to first token, median tokens/s")
            .WithErrors(500);
        api.MapGet("/{id:long}", async Task<Ok<ActivityDetail>> (long id, IActivityManagement activity, CancellationToken ct) =>
                TypedResults.Ok(await activity.GetAsync(id, ct).ConfigureAwait(false)))
            .WithSummary("One finished request with the head of its body and the text generated (each capped)")
            .WithErrors(404, 500);
        return routes;
    }

    private static async Task<Ok<ActivityPage>> ListAsync(string? model, string? route, string? status, string? since, string? until,
        string? limit, string? before, IActivityManagement activity, CancellationToken ct)
    {
        var query = new ActivityQuery
        {
            Model = Blank(model),
            Route = Blank(route),
            StatusClass = Blank(status) is { } s ? StatusClass(s) : null,
            Since = Blank(since) is { } from ? Time("since", from) : null,
            Until = Blank(until) is { } to ? Time("until", to) : null,
            Limit = Blank(limit) is { } l ? Number("limit", l) : ActivityQuery.DefaultLimit,
            Before = Blank(before) is { } b ? Number("before", b) : null,
        };
        return TypedResults.Ok(await activity.ListAsync(query, ct).ConfigureAwait(false));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static int StatusClass(string value) =>
        value.Length is 1 or 3 && value[0] is >= '1' and <= '5' && (value.Length == 1 || value[1..].Equals("xx", StringComparison.OrdinalIgnoreCase))
            ? value[0] - '0'
            : throw Invalid($"status must be a class such as 2xx, 4xx or 5xx, got '{value}'");

    private static DateTimeOffset Time(string name, string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw Invalid($"{name} must be an ISO 8601 time (e.g. 2026-01-31T12:00:00Z), got '{value}'");

    private static int Number(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Invalid($"{name} must be a whole number, got '{value}'");

    private static ManagementException Invalid(string message) => new(ManagementFailure.InvalidRequest, "invalid_activity_filter", message);
}
