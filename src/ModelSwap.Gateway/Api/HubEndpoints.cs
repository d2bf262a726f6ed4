using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Core.OpenAi;
using ModelSwap.Gateway.Routing;
using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Gateway.Api;

/// <summary>/api/hub: search Hugging Face for GGUF models and list a repository's quantizations.</summary>
public static class HubEndpoints
{
    public static IEndpointRouteBuilder MapHubEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/hub/search", async (string? q, string? sort, int? limit, string? author,
            HuggingFaceClient hub, CancellationToken ct) =>
        {
            var order = HubSearchSort.Downloads;
            if (sort is not null && !HubSearchSortNames.TryParse(sort, out order))
            {
                return OpenAiErrors.Result(400, $"sort '{sort}' is not one of downloads, likes, lastModified, trendingScore",
                    OpenAiErrorTypes.InvalidRequest, "invalid_sort");
            }
            return await CallHubAsync(async () =>
                TypedResults.Json(await hub.SearchAsync(q, order, Math.Clamp(limit ?? 20, 1, 100), author, ct).ConfigureAwait(false)))
                .ConfigureAwait(false);
        });
        routes.MapGet("/api/hub/models/{owner}/{name}/files", (string owner, string name, string? revision,
            HuggingFaceClient hub, CancellationToken ct) =>
            CallHubAsync(async () =>
                TypedResults.Json(await hub.ListFilesAsync($"{owner}/{name}", revision ?? "main", ct).ConfigureAwait(false))));
        return routes;
    }

    /// <summary>Maps Hub failures to envelopes: bad names 400, gated 403, Hub errors 502.</summary>
    internal static async Task<IResult> CallHubAsync(Func<Task<IResult>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            return OpenAiErrors.Result(400, ex.Message, OpenAiErrorTypes.InvalidRequest, "invalid_repo");
        }
        catch (HubAccessException ex)
        {
            return OpenAiErrors.Result(403, ex.Message, OpenAiErrorTypes.Authentication, "hub_access_denied");
        }
        catch (HubException ex)
        {
            return OpenAiErrors.Result(ex.StatusCode == 404 ? 404 : 502, ex.Message, OpenAiErrorTypes.Server, "hub_error");
        }
        catch (HttpRequestException ex)
        {
            return OpenAiErrors.Result(502, $"Hugging Face could not be reached: {ex.Message}", OpenAiErrorTypes.Server, "hub_unreachable");
        }
    }

    internal static JsonObject Message(string text) => new() { ["message"] = text };
}
