using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Routing;

namespace ModelSwap.Gateway.Api;

/// <summary>GET /api/requests (requests to models not yet ended, with their tokens so far) and POST /api/requests/{id}/cancel.</summary>
internal static class RequestEndpoints
{
    internal sealed record InFlightRequestList(IReadOnlyList<InFlightRequestView> Requests);

    internal sealed record CancelResult(string Id, bool Cancelled);

    public static IEndpointRouteBuilder MapRequestEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/requests", (IActivityManagement activity) => TypedResults.Ok(new InFlightRequestList(activity.InFlight())));
        routes.MapPost("/api/requests/{id}/cancel", (string id, IActivityManagement activity) => activity.Cancel(id)
            ? Results.Ok(new CancelResult(id, true))
            : OpenAiErrors.Result(404, $"no request '{id}' is in flight; GET /api/requests lists them",
                Core.OpenAi.OpenAiErrorTypes.InvalidRequest, "request_not_found"));
        return routes;
    }
}
