using Microsoft.AspNetCore.Http;
using ModelSwap.Core.Catalog;
using ModelSwap.Gateway.Discovery;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Gateway.Translation;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>
/// POST /api/copy {source, destination}: ModelSwap never copies gigabytes of weights; the new name
/// becomes an alias of the model in models.yaml (which survives regeneration), served at once.
/// </summary>
internal sealed class OllamaCopy(ModelCoordinator coordinator, IModelCatalog catalog)
{
    public async Task CopyAsync(HttpContext context)
    {
        string source, destination;
        try
        {
            var request = await OllamaBodies.ReadAsync(context).ConfigureAwait(false);
            source = OllamaFields.OptionalString(request, "source") ?? throw new OllamaRequestException("source is required");
            destination = (OllamaFields.OptionalString(request, "destination") ?? throw new OllamaRequestException("destination is required")).Trim();
            if (destination.Length == 0 || destination.Any(char.IsControl))
            {
                throw new OllamaRequestException("destination must be a name without control characters");
            }
        }
        catch (OllamaRequestException ex)
        {
            await OllamaErrors.WriteAsync(context, 400, ex.Message).ConfigureAwait(false);
            return;
        }
        if (OllamaModelNames.Resolve(coordinator.Config, source) is not { } id)
        {
            await OllamaErrors.WriteAsync(context, 404, OllamaErrors.ModelNotFound(source)).ConfigureAwait(false);
            return;
        }
        if (coordinator.Config.ResolveModelId(destination) is { } taken)
        {
            if (taken == id)
            {
                return; // already that model's name or alias
            }
            await OllamaErrors.WriteAsync(context, 409, $"'{destination}' already names model '{taken}'").ConfigureAwait(false);
            return;
        }
        if (catalog is not ModelCatalogService generated)
        {
            await OllamaErrors.WriteAsync(context, 400,
                $"copy adds an alias in models.yaml, which applies when ModelSwap generates its config; with your own config file, add '{destination}' to the aliases of '{id}' there")
                .ConfigureAwait(false);
            return;
        }
        var alias = destination.EndsWith(OllamaModelNames.LatestTag, StringComparison.Ordinal) ? destination[..^OllamaModelNames.LatestTag.Length] : destination;
        try
        {
            ModelsYamlEditor.AddAlias(generated.Options.Catalog.OverridesPath, id, alias);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await OllamaErrors.WriteAsync(context, 409, ex.Message).ConfigureAwait(false);
            return;
        }
        await catalog.RefreshAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
