using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Api;

/// <summary>GET /v1/models: every listed model, sorted by id, with name, description, metadata and load state.</summary>
public static class ModelListEndpoints
{
    public static IEndpointRouteBuilder MapModelListEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/models", (ModelCoordinator coordinator) => TypedResults.Json(BuildList(coordinator)));
        // OpenAI's "retrieve model": by id or alias (ids may contain '/').
        routes.MapGet("/v1/models/{**id}", (string id, ModelCoordinator coordinator) =>
        {
            var config = coordinator.Config;
            if (config.ResolveModelId(id) is not { } modelId || !config.Models.TryGetValue(modelId, out var model))
            {
                return Routing.OpenAiErrors.Result(404, $"model '{id}' is not configured; GET /v1/models lists the models",
                    Core.OpenAi.OpenAiErrorTypes.InvalidRequest, "model_not_found");
            }
            var loaded = coordinator.GetStatus().Any(s => s.ModelId == modelId && s.State is ModelState.Ready);
            return TypedResults.Json(Entry(id, model, loaded));
        });
        return routes;
    }

    internal static JsonObject BuildList(ModelCoordinator coordinator)
    {
        var config = coordinator.Config;
        var loaded = coordinator.GetStatus()
            .Where(s => s.State is ModelState.Ready)
            .Select(s => s.ModelId)
            .ToHashSet(StringComparer.Ordinal);
        var data = new JsonArray();
        foreach (var model in config.Models.Values.Where(m => !m.Unlisted))
        {
            data.Add(Entry(model.Id, model, loaded.Contains(model.Id)));
            if (config.IncludeAliasesInList)
            {
                foreach (var alias in model.Aliases.Order(StringComparer.Ordinal))
                {
                    data.Add(Entry(alias, model, loaded.Contains(model.Id)));
                }
            }
        }
        return new JsonObject { ["object"] = "list", ["data"] = data };
    }

    private static JsonObject Entry(string id, Core.Configuration.ModelConfig model, bool loaded)
    {
        var entry = new JsonObject
        {
            ["id"] = id,
            ["object"] = "model",
            ["created"] = ModelCreatedTime.Of(model),
            ["owned_by"] = "modelswap",
            ["loaded"] = loaded,
        };
        if (model.Name is not null)
        {
            entry["name"] = model.Name;
        }
        if (model.Description is not null)
        {
            entry["description"] = model.Description;
        }
        if (!model.Aliases.IsDefaultOrEmpty)
        {
            entry["aliases"] = new JsonArray([.. model.Aliases.Select(a => (JsonNode?)JsonValue.Create(a))]);
        }
        if (model.Metadata is { Count: > 0 } metadata)
        {
            entry["metadata"] = metadata.DeepClone();
        }
        return entry;
    }
}
