using ModelSwap.Core.Catalog;
using ModelSwap.Gateway.Discovery;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Management;

/// <summary>
/// Reads and saves a generated model's settings in models.yaml (through <see cref="ModelsYamlEditor"/>,
/// the one writer that keeps the user's comments), then regenerates, so the change hot-reloads: only that
/// model's command changes, and only it restarts. With a config file of the user's own there is no
/// models.yaml in force: both answer a conflict that says which file to edit.
/// </summary>
internal sealed class ModelSettingsStore(ModelCoordinator coordinator, ModelInventory inventory, GatewayHostOptions options, IServiceProvider services)
{
    // One save at a time: two pages saving at once must not interleave read-edit-write.
    private readonly SemaphoreSlim _gate = new(1, 1);

    private ModelCatalogService Catalog => services.GetService(typeof(ModelCatalogService)) as ModelCatalogService
        ?? throw new ManagementException(ManagementFailure.Conflict, "config_not_generated",
            $"this service serves the config file {options.ConfigPath ?? "given in memory"}: per-model settings live in models.yaml only when ModelSwap generates its config from the models folders; edit {options.ConfigPath ?? "that config"} instead (it reloads with --watch-config or POST /api/config/reload)");

    /// <summary>True when settings can be saved (the config is generated from the models folders).</summary>
    public bool Editable => services.GetService(typeof(ModelCatalogService)) is not null;

    public async Task<ModelSettingsView> GetAsync(string model, CancellationToken cancellationToken)
    {
        var path = Catalog.Options.Catalog.OverridesPath;
        var (key, info) = await FindAsync(model, cancellationToken).ConfigureAwait(false);
        return View(key, info, path);
    }

    public async Task<ModelSettingsView> SaveAsync(string model, ModelSettings settings, CancellationToken cancellationToken)
    {
        var catalog = Catalog;
        var path = catalog.Options.Catalog.OverridesPath;
        var (key, info) = await FindAsync(model, cancellationToken).ConfigureAwait(false);
        var scanned = await inventory.ScannedAsync(cancellationToken).ConfigureAwait(false);
        // The generator's own lookup, so a draft accepted here is one it applies.
        var errors = ModelSettingsRules.Validate(key, settings, info.Files?.TrainedContext, coordinator.Config.ResolveModelId,
            name => ConfigGenerator.DraftFor(new ModelOverride { Draft = name }, scanned) is not null);
        if (errors.Count > 0)
        {
            throw new InvalidSettingsException(
                $"the settings of '{key}' were not saved: " + string.Join("; ", errors.Select(e => $"{e.Key} {e.Value}")), errors);
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ModelsYamlEditor.SaveKeys(path, key, ModelSettingsRules.Edits(settings));
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new ManagementException(ManagementFailure.Conflict, "models_yaml_not_saved", $"{path} was not changed: {ex.Message}", ex);
        }
        finally
        {
            _gate.Release();
        }
        // Regenerates and hot-reloads: a changed command restarts that model only.
        await catalog.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var (_, updated) = await FindAsync(key, cancellationToken).ConfigureAwait(false);
        return View(key, updated, path);
    }

    /// <summary>The model's name in models.yaml (a disabled model is found by its file's scan name) and its inventory entry.</summary>
    private async Task<(string Key, ModelInfo Info)> FindAsync(string model, CancellationToken cancellationToken)
    {
        var all = await inventory.ListAsync(cancellationToken).ConfigureAwait(false);
        var info = InventoryJoin.Find(all, coordinator.Config, model) ?? throw ManagementException.ModelNotFound(model);
        var key = info.Served ? info.Id : info.Files?.DiscoveredName
            ?? throw new ManagementException(ManagementFailure.Conflict, "not_generated_model",
                $"'{info.Id}' is not a model file in the models folders; models.yaml has no settings for it");
        return (key, info);
    }

    private static ModelSettingsView View(string key, ModelInfo info, string path)
    {
        var file = ModelOverridesFile.Load(path);
        return new ModelSettingsView(key, path, ModelSettingsRules.From(file.Models.GetValueOrDefault(key)),
            info.Files?.ContextSize, info.Files?.TrainedContext);
    }
}
