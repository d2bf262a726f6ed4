using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Gateway.Api;

/// <summary>/api/hub: search Hugging Face for GGUF models and list a repository's quantizations (thin over <see cref="IModelHub"/>).</summary>
internal static class HubEndpoints
{
    public static IEndpointRouteBuilder MapHubEndpoints(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/hub").WithTags("Hub");
        api.MapGet("/search", async Task<Ok<IReadOnlyList<HubModelView>>> (string? q, string? sort, int? limit, string? author, IModelHub hub, CancellationToken ct) =>
                TypedResults.Ok(await hub.SearchAsync(q, HubSortOrders.Parse(sort), limit ?? 20, author, ct).ConfigureAwait(false)))
            .WithSummary("Search Hugging Face for GGUF models")
            .WithDescription("sort: downloads (default), likes, lastModified or trendingScore; limit 1..100 (default 20).")
            .WithErrors(400, 429, 502);
        api.MapGet("/models/{owner}/{name}/files", async Task<Ok<HubRepoFilesView>> (string owner, string name, string? revision, IModelHub hub, CancellationToken ct) =>
                TypedResults.Ok(await hub.GetFilesAsync($"{owner}/{name}", revision, ct).ConfigureAwait(false)))
            .WithSummary("A repository's GGUF files grouped by quantization, with split parts and projectors")
            .WithErrors(400, 403, 404, 429, 502);
        return routes;
    }
}
