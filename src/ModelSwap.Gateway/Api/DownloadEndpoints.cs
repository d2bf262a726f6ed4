using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Core.OpenAi;
using ModelSwap.Gateway.Routing;
using ModelSwap.Hub.Downloads;
using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Gateway.Api;

/// <summary>
/// /api/downloads: start a pull (POST {"model": "org/repo:Q4_K_M", "revision": "main"}), list
/// downloads, cancel one (DELETE, ?keepPartial=true keeps the resumable .part). Progress is
/// published on /api/events.
/// </summary>
public static class DownloadEndpoints
{
    public sealed record StartDownload(string? Model, string? Revision);

    public static IEndpointRouteBuilder MapDownloadEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/downloads", async (StartDownload? body, HuggingFaceClient hub, DownloadManager downloads, CancellationToken ct) =>
        {
            if (!ModelReference.TryParse(body?.Model, body?.Revision, out var reference, out var error))
            {
                return OpenAiErrors.Result(400, $"\"model\" must name what to pull (org/repo, org/repo:QUANT, org/repo/FILE.gguf or hf.co/org/repo:QUANT): {error}",
                    OpenAiErrorTypes.InvalidRequest, "invalid_model_reference");
            }
            return await HubEndpoints.CallHubAsync(async () =>
            {
                var plan = await hub.PlanPullAsync(reference, ct).ConfigureAwait(false);
                try
                {
                    var job = downloads.Enqueue(plan);
                    return TypedResults.Json(View(job), statusCode: StatusCodes.Status202Accepted);
                }
                catch (InvalidOperationException ex)
                {
                    return OpenAiErrors.Result(409, ex.Message, OpenAiErrorTypes.InvalidRequest, "download_conflict");
                }
            }).ConfigureAwait(false);
        });
        routes.MapGet("/api/downloads", (DownloadManager downloads) =>
            TypedResults.Json(new JsonArray([.. downloads.List().Select(j => (JsonNode)View(j))])));
        routes.MapGet("/api/downloads/{id}", (string id, DownloadManager downloads) =>
            downloads.Get(id) is { } job
                ? TypedResults.Json(View(job))
                : OpenAiErrors.Result(404, $"no download with id '{id}'", OpenAiErrorTypes.InvalidRequest, "download_not_found"));
        routes.MapDelete("/api/downloads/{id}", (string id, bool? keepPartial, DownloadManager downloads) =>
            downloads.Cancel(id, keepPartial ?? false)
                ? TypedResults.Json(View(downloads.Get(id)!))
                : OpenAiErrors.Result(404, $"no running or queued download with id '{id}'", OpenAiErrorTypes.InvalidRequest, "download_not_found"));
        return routes;
    }

    internal static JsonObject View(DownloadJob job) => View(job.Id, job.Request, job.FinalPaths, job.Status);

    internal static JsonObject View(string id, DownloadRequest request, IReadOnlyList<string> paths, DownloadStatus status) => new()
    {
        ["id"] = id,
        ["repo"] = request.Repo,
        ["revision"] = request.Revision,
        ["files"] = new JsonArray([.. paths.Select(p => (JsonNode)JsonValue.Create(p))]),
        ["state"] = status.State.ToString().ToLowerInvariant(),
        ["bytes"] = status.BytesDownloaded,
        ["total"] = status.TotalBytes,
        ["bytesPerSecond"] = Math.Round(status.BytesPerSecond),
        ["etaSeconds"] = status.Eta is { } eta ? Math.Round(eta.TotalSeconds, 1) : null,
        ["currentFile"] = status.CurrentFile,
        ["error"] = status.Error,
    };
}
