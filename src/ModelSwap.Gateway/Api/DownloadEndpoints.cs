using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Gateway.Api;

/// <summary>
/// /api/downloads: start a pull (POST {"model": "org/repo:Q4_K_M", "revision": "main"}), list and get
/// downloads, cancel one (DELETE, ?keepPartial=true keeps the resumable .part), resume a cancelled or
/// failed one (POST /{id}/resume). Thin over <see cref="IModelHub"/>; progress is published on
/// /api/events as <c>download</c> events.
/// </summary>
internal static class DownloadEndpoints
{
    public static IEndpointRouteBuilder MapDownloadEndpoints(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/downloads").WithTags("Downloads");
        api.MapPost("", async Task<Accepted<DownloadView>> (StartDownloadRequest? body, IModelHub hub, CancellationToken ct) =>
            {
                var job = await hub.StartDownloadAsync(body?.Model, body?.Revision, ct).ConfigureAwait(false);
                return TypedResults.Accepted($"/api/downloads/{job.Id}", job);
            })
            .WithSummary("Start downloading a model (all split parts and its projector)")
            .WithErrors(400, 403, 404, 409, 429, 502);
        api.MapGet("", Ok<IReadOnlyList<DownloadView>> (IModelHub hub) => TypedResults.Ok(hub.ListDownloads()))
            .WithSummary("Every download with bytes, total, speed and ETA, oldest first");
        api.MapGet("/{id}", Ok<DownloadView> (string id, IModelHub hub) => TypedResults.Ok(hub.GetDownload(id)))
            .WithSummary("One download").WithErrors(404);
        api.MapDelete("/{id}", Ok<DownloadView> (string id, bool? keepPartial, IModelHub hub) => TypedResults.Ok(hub.CancelDownload(id, keepPartial ?? false)))
            .WithSummary("Cancel a download (?keepPartial=true keeps the .part for a later resume)").WithErrors(404, 409);
        api.MapPost("/{id}/resume", Accepted<DownloadView> (string id, IModelHub hub) =>
            {
                var job = hub.ResumeDownload(id);
                return TypedResults.Accepted($"/api/downloads/{job.Id}", job);
            })
            .WithSummary("Run a cancelled or failed download again, continuing from its kept .part files").WithErrors(404, 409, 507);
        return routes;
    }
}
