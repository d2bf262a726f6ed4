using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Core.OpenAi;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Routing;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Hub.Store;

namespace ModelSwap.Gateway.Api;

/// <summary>
/// /api/models/local: the model files in the models folders (GET), and safe delete (DELETE
/// /api/models/local/{name}?force=true). A model whose server runs is refused unless forced; forced,
/// it is unloaded first. After a delete the catalog is refreshed.
/// </summary>
public static class LocalModelEndpoints
{
    public static IEndpointRouteBuilder MapLocalModelEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/models/local", (ModelStore store) =>
            TypedResults.Json(new JsonArray([.. store.List().Select(m => (JsonNode)View(m))])));
        routes.MapDelete("/api/models/local/{**name}", async (string name, bool? force, ModelStore store,
            ModelCoordinator coordinator, IModelCatalog catalog, CancellationToken ct) =>
        {
            if (Core.Catalog.AliasDeletion.Refusal(name, coordinator.Config.ResolveModelId(name)) is { } refusal)
            {
                return OpenAiErrors.Result(409, refusal, OpenAiErrorTypes.InvalidRequest, "automatic_alias");
            }
            LocalModel model;
            try
            {
                model = store.Find(name);
            }
            catch (ModelStoreException ex)
            {
                return StoreError(ex);
            }
            var users = RunningModelsUsing(model, coordinator);
            if (users.Count > 0 && force != true)
            {
                return OpenAiErrors.Result(409,
                    $"'{model.Name}' is loaded by running model(s) {string.Join(", ", users)}; unload it first or pass ?force=true",
                    OpenAiErrorTypes.InvalidRequest, "model_in_use");
            }
            foreach (var user in users)
            {
                await coordinator.UnloadAsync(user, ct).ConfigureAwait(false);
            }
            DeleteResult result;
            try
            {
                result = store.Delete(model.Path, force: true, isLoaded: m => RunningModelsUsing(m, coordinator).Count > 0);
            }
            catch (ModelStoreException ex)
            {
                return StoreError(ex);
            }
            var refresh = await catalog.RefreshAsync(ct).ConfigureAwait(false);
            return TypedResults.Json(new JsonObject
            {
                ["deleted"] = new JsonArray([.. result.DeletedFiles.Select(f => (JsonNode)JsonValue.Create(f))]),
                ["kept"] = new JsonArray([.. result.KeptFiles.Select(f => (JsonNode)JsonValue.Create(f))]),
                ["catalog"] = refresh,
            });
        });
        return routes;
    }

    /// <summary>Running model ids whose command line names one of the model's files.</summary>
    internal static IReadOnlyList<string> RunningModelsUsing(LocalModel model, ModelCoordinator coordinator)
    {
        var config = coordinator.Config;
        var files = model.Files.Append(model.Path).Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        return coordinator.GetStatus()
            .Where(s => s.State is not ModelState.Stopped && config.Models.TryGetValue(s.ModelId, out _))
            .Where(s => config.Models[s.ModelId].Command.Any(arg => Path.IsPathFullyQualified(arg) && files.Contains(Path.GetFullPath(arg))))
            .Select(s => s.ModelId)
            .ToArray();
    }

    private static IResult StoreError(ModelStoreException ex) => ex.Kind switch
    {
        ModelStoreError.NotFound => OpenAiErrors.Result(404, ex.Message, OpenAiErrorTypes.InvalidRequest, "model_not_found"),
        ModelStoreError.InUse => OpenAiErrors.Result(409, ex.Message, OpenAiErrorTypes.InvalidRequest, "model_in_use"),
        _ => OpenAiErrors.Result(400, ex.Message, OpenAiErrorTypes.InvalidRequest, "invalid_model_path"),
    };

    internal static JsonObject View(LocalModel model) => new()
    {
        ["name"] = model.Name,
        ["path"] = model.Path,
        ["modelsDir"] = model.ModelsDir,
        ["files"] = new JsonArray([.. model.Files.Select(f => (JsonNode)JsonValue.Create(f))]),
        ["sizeBytes"] = model.SizeBytes,
        ["projector"] = model.Projector,
        ["origin"] = model.Origin is { } origin ? $"{origin.Repo}@{origin.Revision}" : null,
        ["complete"] = model.IsComplete,
    };
}
