using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Gateway.Translation;
using ModelSwap.Hub.Store;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>/api/tags, /api/show, /api/ps and DELETE /api/delete, from the model inventory and the coordinator.</summary>
internal sealed class OllamaModelEndpoints(
    OllamaModelSource models,
    ModelCoordinator coordinator,
    ModelStore store,
    IModelCatalog catalog,
    TimeProvider time)
{
    public IResult Tags() => TypedResults.Json(new JsonObject
    {
        // Newest first, as Ollama lists them.
        ["models"] = new JsonArray([.. models.List()
            .OrderByDescending(m => m.ModifiedAt).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => (JsonNode)OllamaModelViews.Tag(m))]),
    }, OllamaJson.Options);

    public IResult Ps()
    {
        var now = time.GetUtcNow();
        return TypedResults.Json(new JsonObject
        {
            ["models"] = new JsonArray([.. models.List()
                .Where(OllamaModelViews.IsLoaded)
                .OrderBy(m => m.Id, StringComparer.Ordinal)
                .Select(m => (JsonNode)OllamaModelViews.Running(m, now))]),
        }, OllamaJson.Options);
    }

    public async Task ShowAsync(HttpContext context)
    {
        string name;
        try
        {
            name = OllamaFields.Model(await OllamaBodies.ReadAsync(context).ConfigureAwait(false));
        }
        catch (OllamaRequestException ex)
        {
            await OllamaErrors.WriteAsync(context, 400, ex.Message).ConfigureAwait(false);
            return;
        }
        if (models.Find(name) is not { } model)
        {
            await OllamaErrors.WriteAsync(context, 404, OllamaErrors.ModelNotFound(name)).ConfigureAwait(false);
            return;
        }
        GgufFile? header = null;
        if (model.Path is { } path && File.Exists(path))
        {
            try
            {
                header = GgufReader.Read(path, OllamaShowView.HeaderLimits);
            }
            catch (Exception ex) when (ex is GgufFormatException or IOException or UnauthorizedAccessException)
            {
                await OllamaErrors.WriteAsync(context, 500, $"cannot read the GGUF header of {path}: {ex.Message}").ConfigureAwait(false);
                return;
            }
        }
        await context.Response.WriteAsJsonAsync(OllamaShowView.Build(model, header), OllamaJson.Options, context.RequestAborted)
            .ConfigureAwait(false);
    }

    public async Task DeleteAsync(HttpContext context)
    {
        string name;
        try
        {
            name = OllamaFields.Model(await OllamaBodies.ReadAsync(context).ConfigureAwait(false));
        }
        catch (OllamaRequestException ex)
        {
            await OllamaErrors.WriteAsync(context, 400, ex.Message).ConfigureAwait(false);
            return;
        }
        if (models.Find(name) is not { Path: { } path } model)
        {
            await OllamaErrors.WriteAsync(context, 404, OllamaErrors.ModelNotFound(name)).ConfigureAwait(false);
            return;
        }
        try
        {
            await coordinator.UnloadAsync(model.Id, context.RequestAborted).ConfigureAwait(false);
            store.Delete(path, force: true);
        }
        catch (ModelStoreException ex)
        {
            await OllamaErrors.WriteAsync(context, ex.Kind == ModelStoreError.NotFound ? 404 : 409, ex.Message).ConfigureAwait(false);
            return;
        }
        await catalog.RefreshAsync(context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = 200;
    }
}
