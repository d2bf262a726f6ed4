using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Core.OpenAi;
using ModelSwap.Gateway.Discovery;
using ModelSwap.Gateway.Routing;

namespace ModelSwap.Gateway.Api;

/// <summary>POST /api/config/regenerate: rescan the models folders now and apply the result.</summary>
public static class DiscoveryEndpoints
{
    public static IEndpointRouteBuilder MapDiscoveryEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/config/regenerate", async (IServiceProvider services, CancellationToken ct) =>
        {
            if (services.GetService<ModelCatalogService>() is not { } catalog)
            {
                return OpenAiErrors.Result(StatusCodes.Status409Conflict,
                    "this gateway serves a config file given with --config; regenerating works when ModelSwap generates its config from the models folders (serve without --config)",
                    OpenAiErrorTypes.InvalidRequest, "config_not_generated");
            }
            try
            {
                var result = await catalog.RegenerateAsync("requested", refreshBinary: true, ct).ConfigureAwait(false);
                return TypedResults.Json(ToJson(result));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return OpenAiErrors.Result(StatusCodes.Status500InternalServerError,
                    $"regenerating the config failed: {ex.Message}; the current models stay served", OpenAiErrorTypes.Server, "regenerate_failed");
            }
        });
        return routes;
    }

    internal static JsonObject ToJson(RegenerationResult result)
    {
        var generation = result.Generation;
        return new JsonObject
        {
            ["models"] = generation.Models.Count,
            ["names"] = Strings(generation.Models.Select(m => m.Name)),
            ["warnings"] = Strings(generation.Warnings),
            ["pending"] = Strings(generation.Scan.Pending),
            ["errors"] = Strings(generation.Errors),
            ["changed"] = generation.Changed,
            ["applied"] = result.Applied,
            ["config"] = generation.OutputPath,
            ["llamaServer"] = generation.LlamaServer?.Path,
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
