using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Api;

/// <summary>GET /v1/models: every listed model of the inventory, sorted by id, with name, description, aliases, metadata and load state.</summary>
internal static class ModelListEndpoints
{
    public static IEndpointRouteBuilder MapModelListEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/models", (ModelInventory inventory, ModelCoordinator coordinator) =>
                TypedResults.Ok(BuildList(inventory.Served(), coordinator.Config.IncludeAliasesInList)))
            .WithTags("OpenAI");
        return routes;
    }

    internal static OpenAiModelList BuildList(IReadOnlyList<ModelInfo> served, bool includeAliases)
    {
        var data = new List<OpenAiModelEntry>();
        foreach (var model in served.Where(m => m.Listed))
        {
            data.Add(Entry(model.Id, model));
            if (includeAliases)
            {
                data.AddRange(model.Aliases.Order(StringComparer.Ordinal).Select(alias => Entry(alias, model)));
            }
        }
        return new OpenAiModelList("list", data);
    }

    private static OpenAiModelEntry Entry(string id, ModelInfo model) => new(
        id, "model", 0, "modelswap", model.Live.State == ModelState.Ready,
        model.Config?.Name, model.Config?.Description,
        model.Aliases.IsDefaultOrEmpty ? null : model.Aliases,
        model.Config?.Metadata is { Count: > 0 } metadata ? metadata : null);
}
