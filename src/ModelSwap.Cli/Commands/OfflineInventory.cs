using ModelSwap.Core.Catalog;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Management;
using ModelSwap.Hub.Store;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// The inventory of models folders without a service: the config the service would generate from
/// them, joined by the gateway's own <see cref="InventoryJoin"/>, so names, aliases, files and sizes
/// are exactly what a service on the same folders lists. Live state is left stopped; verbs fill it
/// in from a running service.
/// </summary>
internal static class OfflineInventory
{
    public static async Task<(CatalogGeneration Generation, IReadOnlyList<ModelInfo> Models)> BuildAsync(CatalogOptions options, CancellationToken cancellationToken)
    {
        // The command each model runs with is not shown, so no llama-server search is needed.
        var generation = await new CatalogGenerator(options with { LlamaServer = CatalogGenerator.EngineSetting })
            .GenerateAsync(write: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        var config = ConfigLoader.Parse(generation.Yaml, options.OutputPath, new ConfigLoadOptions { IsPortFree = _ => true }).Config ?? new ModelSwapConfig();
        var manifest = new ModelStore(options.ModelDirectories).ManifestEntries();
        var models = InventoryJoin.Build(new InventoryInputs(config, [], generation,
            path => manifest.TryGetValue(Path.GetFullPath(path), out var entry) ? ModelInventory.OriginView(entry) : null,
            _ => null));
        return (generation, models);
    }
}
