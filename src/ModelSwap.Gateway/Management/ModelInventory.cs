using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Core.Catalog;
using ModelSwap.Gateway.Discovery;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Hub.Store;

namespace ModelSwap.Gateway.Management;

/// <summary>
/// The one inventory of models in a running gateway: the config in effect, the scan of the models
/// folders (Core's <see cref="ModelScanner"/>, the only scanner), the manifest's origins and the
/// coordinator's live state, joined by <see cref="InventoryJoin"/>. With a generated config the scan
/// is the one the config was generated from; with a user's config file the folders are scanned on
/// demand (headers are cached, so that costs a directory walk).
/// </summary>
internal sealed class ModelInventory
{
    private readonly ModelCoordinator _coordinator;
    private readonly ModelStore _store;
    private readonly ModelCatalogService? _catalog;
    private readonly Lazy<CatalogGenerator> _ownScan;
    private CatalogGeneration? _lastOwnScan;

    public ModelInventory(ModelCoordinator coordinator, ModelStore store, GatewayHostOptions options, IServiceProvider services, TimeProvider time)
    {
        _coordinator = coordinator;
        _store = store;
        _catalog = services.GetService<ModelCatalogService>();
        // The command each model runs with comes from the config, so this scan needs no llama-server search.
        _ownScan = new Lazy<CatalogGenerator>(() => new CatalogGenerator(new CatalogOptions
        {
            ModelDirectories = options.ModelsDirs,
            LlamaServer = CatalogGenerator.EngineSetting,
        }, time));
    }

    /// <summary>Every model, one snapshot.</summary>
    public async Task<IReadOnlyList<ModelInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var config = _coordinator.Config;
        var statuses = _coordinator.GetStatus();
        var generation = await GenerationAsync(cancellationToken).ConfigureAwait(false);
        return Build(config, statuses, generation);
    }

    /// <summary>
    /// The served models only, without touching the disk (files as of the latest scan): what
    /// <c>/v1/models</c> and the <c>model</c> events need on every call.
    /// </summary>
    public IReadOnlyList<ModelInfo> Served()
    {
        var generation = _catalog is null ? Volatile.Read(ref _lastOwnScan) : _catalog.Last?.Generation;
        return [.. Build(_coordinator.Config, _coordinator.GetStatus(), generation).Where(m => m.Served)];
    }

    /// <summary>A served model as it is in <paramref name="status"/> (a state change being reported), or null when no longer served.</summary>
    public ModelInfo? Served(ModelStatus status)
    {
        if (!_coordinator.Config.Models.TryGetValue(status.ModelId, out var model))
        {
            return null;
        }
        var info = Served().FirstOrDefault(m => m.Id == status.ModelId);
        return info is null ? null : info with { Live = InventoryJoin.LiveView(status, model, ResidentMemory.OfTree) };
    }

    /// <summary>A model by id or alias, or null.</summary>
    public async Task<ModelInfo?> FindAsync(string name, CancellationToken cancellationToken) =>
        InventoryJoin.Find(await ListAsync(cancellationToken).ConfigureAwait(false), _coordinator.Config, name);

    private IReadOnlyList<ModelInfo> Build(Core.Configuration.ModelSwapConfig config, IReadOnlyList<ModelStatus> statuses, CatalogGeneration? generation)
    {
        var manifest = new Lazy<IReadOnlyDictionary<string, ManifestEntry>>(_store.ManifestEntries);
        return InventoryJoin.Build(new InventoryInputs(config, statuses, generation,
            path => manifest.Value.TryGetValue(Path.GetFullPath(path), out var entry) ? OriginView(entry) : null,
            ResidentMemory.OfTree));
    }

    private async Task<CatalogGeneration?> GenerationAsync(CancellationToken cancellationToken)
    {
        if (_catalog is not null)
        {
            return _catalog.Last?.Generation
                ?? await _catalog.Generator.GenerateAsync(write: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        var scan = await _ownScan.Value.GenerateAsync(write: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _lastOwnScan, scan);
        return scan;
    }

    internal static ModelOriginView OriginView(ManifestEntry entry) => new(
        entry.Repo,
        entry.Revision,
        $"{entry.Repo}@{entry.Revision}",
        entry.Commit,
        entry.DownloadedAt,
        [.. (entry.Files ?? []).Select(f => new ModelOriginFile(f.Path, f.Size, f.Sha256))]);
}
