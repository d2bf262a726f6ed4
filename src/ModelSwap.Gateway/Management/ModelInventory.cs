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
        return Build(config, statuses, generation, details: true);
    }

    /// <summary>
    /// The served models only, without scanning (files as of the latest scan): what <c>/v1/models</c>
    /// needs on every call. Origins (a manifest read) and resident memory (a /proc walk) only
    /// <paramref name="details"/>.
    /// </summary>
    public IReadOnlyList<ModelInfo> Served(bool details = false)
    {
        var generation = _catalog is null ? Volatile.Read(ref _lastOwnScan) : _catalog.Last?.Generation;
        return [.. Build(_coordinator.Config, _coordinator.GetStatus(), generation, details).Where(m => m.Served)];
    }

    /// <summary>A served model as it is in <paramref name="status"/> (a state change being reported), or null when no longer served.</summary>
    public ModelInfo? Served(ModelStatus status)
    {
        if (!_coordinator.Config.Models.TryGetValue(status.ModelId, out var model))
        {
            return null;
        }
        var info = Served(details: true).FirstOrDefault(m => m.Id == status.ModelId);
        return info is null ? null : info with { Live = InventoryJoin.LiveView(status, model, ResidentMemory.OfTree) };
    }

    /// <summary>A model by id or alias, or null.</summary>
    public async Task<ModelInfo?> FindAsync(string name, CancellationToken cancellationToken) =>
        InventoryJoin.Find(await ListAsync(cancellationToken).ConfigureAwait(false), _coordinator.Config, name);

    /// <summary>
    /// The models that could draft for <paramref name="info"/>: Core's <see cref="DraftSuggestions"/> (the one rule,
    /// as <c>models show</c> uses it) over the same scan, and the draft models.yaml sets for it.
    /// </summary>
    public async Task<ModelDraftsView> DraftsAsync(ModelInfo info, CancellationToken cancellationToken)
    {
        var generation = await GenerationAsync(cancellationToken).ConfigureAwait(false);
        var models = generation?.Scan.Models ?? [];
        var name = info.Files?.DiscoveredName;
        var target = name is null ? null : models.FirstOrDefault(m => m.Name == name);
        // Comparing vocabularies reads each candidate's GGUF tokens: off the caller's thread.
        var drafts = target is null ? [] : await Task.Run(() => DraftSuggestions.For(target, models), cancellationToken).ConfigureAwait(false);
        var key = info.Served ? info.Id : name;
        // models.yaml is in force only when the config is generated from the models folders.
        var current = _catalog is null || key is null ? null : generation?.Overrides.Models.GetValueOrDefault(key)?.Draft;
        return new ModelDraftsView(info.Id, [.. drafts.Select(m => m.Name)], current);
    }

    /// <summary>The models the scan found (what a <c>draft:</c> name is looked up among); empty before any scan.</summary>
    public async Task<IReadOnlyList<DiscoveredModel>> ScannedAsync(CancellationToken cancellationToken) =>
        (await GenerationAsync(cancellationToken).ConfigureAwait(false))?.Scan.Models ?? [];

    private IReadOnlyList<ModelInfo> Build(Core.Configuration.ModelSwapConfig config, IReadOnlyList<ModelStatus> statuses, CatalogGeneration? generation,
        bool details)
    {
        var manifest = new Lazy<IReadOnlyDictionary<string, ManifestEntry>>(_store.ManifestEntries);
        return InventoryJoin.Build(new InventoryInputs(config, statuses, generation,
            path => details && manifest.Value.TryGetValue(Path.GetFullPath(path), out var entry) ? OriginView(entry) : null,
            details ? ResidentMemory.OfTree : _ => null));
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
