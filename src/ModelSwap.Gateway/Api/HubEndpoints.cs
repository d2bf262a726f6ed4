using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Gateway.Management;
using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Gateway.Api;

/// <summary>/api/hub: search Hugging Face for GGUF models and list a repository's quantizations.</summary>
internal static class HubEndpoints
{
    public static IEndpointRouteBuilder MapHubEndpoints(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/hub").WithTags("Hub");
        api.MapGet("/search", async (string? q, string? sort, int? limit, string? author, HuggingFaceClient hub, CancellationToken ct) =>
            {
                var order = HubSearchSort.Downloads;
                if (sort is not null && !HubSearchSortNames.TryParse(sort, out order))
                {
                    throw new ManagementException(ManagementFailure.InvalidRequest, "invalid_sort",
                        $"sort '{sort}' is not one of downloads, likes, lastModified, trendingScore");
                }
                return TypedResults.Ok(await hub.SearchAsync(q, order, Math.Clamp(limit ?? 20, 1, 100), author, ct).ConfigureAwait(false));
            })
            .WithSummary("Search Hugging Face for GGUF models").WithErrors(400, 502);
        api.MapGet("/models/{owner}/{name}/files", async (string owner, string name, string? revision, HuggingFaceClient hub, CancellationToken ct) =>
                TypedResults.Ok(await hub.ListFilesAsync($"{owner}/{name}", revision ?? "main", ct).ConfigureAwait(false)))
            .WithSummary("A repository's GGUF files grouped by quantization, with split parts and projectors").WithErrors(400, 403, 404, 502);
        return routes;
    }
}
