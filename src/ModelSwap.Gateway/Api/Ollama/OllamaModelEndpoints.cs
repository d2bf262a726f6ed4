using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Gateway.Translation;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>/api/tags, /api/show, /api/ps and DELETE /api/delete, from the model inventory and the coordinator.</summary>
internal sealed class OllamaModelEndpoints(OllamaModelSource models, IModelManagement management, ModelCoordinator coordinator, TimeProvider time)
{
    public async Task<IResult> TagsAsync(CancellationToken cancellationToken) => TypedResults.Json(new JsonObject
    {
        // Newest first, as Ollama lists them.
        ["models"] = new JsonArray([.. (await models.ListAsync(cancellationToken).ConfigureAwait(false))
            .OrderByDescending(m => m.ModifiedAt).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => (JsonNode)OllamaModelViews.Tag(m))]),
    }, OllamaJson.Options);

    public async Task<IResult> PsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return TypedResults.Json(new JsonObject
        {
            ["models"] = new JsonArray([.. (await models.ListAsync(cancellationToken).ConfigureAwait(false))
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
        if (await models.FindAsync(name, context.RequestAborted).ConfigureAwait(false) is not { } model)
        {
            await OllamaErrors.WriteAsync(context, 404, OllamaErrors.ModelNotFound(name)).ConfigureAwait(false);
            return;
        }
        GgufFile? header;
        try
        {
            header = OllamaModelHeaders.Read(model, vocabulary: true);
        }
        catch (Exception ex) when (OllamaModelHeaders.IsReadFailure(ex))
        {
            await OllamaErrors.WriteAsync(context, 500, $"cannot read the GGUF header of {model.Path}: {ex.Message}").ConfigureAwait(false);
            return;
        }
        var config = coordinator.Config.Models.GetValueOrDefault(model.Id);
        await context.Response.WriteAsJsonAsync(OllamaShowView.Build(model, header, config), OllamaJson.Options, context.RequestAborted)
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
        if (OllamaModelNames.Resolve(coordinator.Config, name) is not { } id)
        {
            await OllamaErrors.WriteAsync(context, 404, OllamaErrors.ModelNotFound(name)).ConfigureAwait(false);
            return;
        }
        // Through the coordinator as one step: the model stops taking requests, stops, its files go,
        // the catalog refreshes. Failures (a file outside the models folders, …) reach the exception
        // handler, which answers in Ollama's shape.
        await management.DeleteAsync(id, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = 200;
    }
}
