using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Gateway.Management;
using ModelSwap.Hub.Downloads;
using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Gateway.Api;

/// <summary>
/// /api/downloads: start a pull (POST {"model": "org/repo:Q4_K_M", "revision": "main"}), list
/// downloads, cancel one (DELETE, ?keepPartial=true keeps the resumable .part). Progress is
/// published on /api/events as <c>download</c> events.
/// </summary>
internal static class DownloadEndpoints
{
    public static IEndpointRouteBuilder MapDownloadEndpoints(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/downloads").WithTags("Downloads");
        api.MapPost("", async (StartDownloadRequest? body, HuggingFaceClient hub, DownloadManager downloads, CancellationToken ct) =>
            {
                if (!ModelReference.TryParse(body?.Model, body?.Revision, out var reference, out var error))
                {
                    throw new ManagementException(ManagementFailure.InvalidRequest, "invalid_model_reference",
                        $"\"model\" must name what to pull (org/repo, org/repo:QUANT, org/repo/FILE.gguf or hf.co/org/repo:QUANT): {error}");
                }
                var plan = await hub.PlanPullAsync(reference, ct).ConfigureAwait(false);
                var job = downloads.Enqueue(plan);
                return TypedResults.Json(DownloadView.From(job), statusCode: StatusCodes.Status202Accepted);
            })
            .Produces<DownloadView>(StatusCodes.Status202Accepted)
            .WithSummary("Start downloading a model (all split parts and its projector)")
            .WithErrors(400, 403, 404, 409, 502);
        api.MapGet("", (DownloadManager downloads) => TypedResults.Ok(downloads.List().Select(DownloadView.From).ToList()))
            .WithSummary("Every download with bytes, total, speed and ETA");
        api.MapGet("/{id}", (string id, DownloadManager downloads) => TypedResults.Ok(DownloadView.From(Find(downloads, id))))
            .WithSummary("One download").WithErrors(404);
        api.MapDelete("/{id}", Results<Ok<DownloadView>, NotFound> (string id, bool? keepPartial, DownloadManager downloads) =>
            {
                if (!downloads.Cancel(id, keepPartial ?? false))
                {
                    throw new ManagementException(ManagementFailure.NotFound, "download_not_found", $"no running or queued download with id '{id}'");
                }
                return TypedResults.Ok(DownloadView.From(Find(downloads, id)));
            })
            .WithSummary("Cancel a download (?keepPartial=true keeps the .part for a later resume)").WithErrors(404);
        return routes;
    }

    private static DownloadJob Find(DownloadManager downloads, string id) => downloads.Get(id)
        ?? throw new ManagementException(ManagementFailure.NotFound, "download_not_found", $"no download with id '{id}'");
}
