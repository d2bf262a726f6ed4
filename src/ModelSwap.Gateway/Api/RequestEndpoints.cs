using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Gateway.Activity;
using ModelSwap.Gateway.Routing;

namespace ModelSwap.Gateway.Api;

/// <summary>GET /api/requests (requests to models not yet ended) and POST /api/requests/{id}/cancel.</summary>
internal static class RequestEndpoints
{
    internal sealed record InFlightRequestView(string Id, string Model, string Client, string Route, string State, int? Pid,
        DateTimeOffset Started, double ElapsedSeconds);

    internal sealed record InFlightRequestList(IReadOnlyList<InFlightRequestView> Requests);

    internal sealed record CancelResult(string Id, bool Cancelled);

    public static IEndpointRouteBuilder MapRequestEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/requests", (InFlightRequests requests, TimeProvider time) =>
        {
            var now = time.GetUtcNow();
            return TypedResults.Ok(new InFlightRequestList([.. requests.Snapshot().Select(r =>
                new InFlightRequestView(r.Id, r.Model, r.Client, r.Route, r.State, r.Pid, r.Started, (now - r.Started).TotalSeconds))]));
        });
        routes.MapPost("/api/requests/{id}/cancel", (string id, InFlightRequests requests) => requests.TryEnd(id, RequestEnd.Cancelled())
            ? Results.Ok(new CancelResult(id, true))
            : OpenAiErrors.Result(404, $"no request '{id}' is in flight; GET /api/requests lists them",
                Core.OpenAi.OpenAiErrorTypes.InvalidRequest, "request_not_found"));
        return routes;
    }
}
