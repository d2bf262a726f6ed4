using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Discovery;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Monitoring;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Hub.Store;

namespace ModelSwap.Gateway.Management;

/// <summary>The gateway's <see cref="IModelManagement"/>: reads from <see cref="ModelInventory"/>, acts through the coordinator.</summary>
internal sealed class ModelManagement : IModelManagement
{
    private readonly ModelCoordinator _coordinator;
    private readonly ModelInventory _inventory;
    private readonly ModelStore _store;
    private readonly IModelCatalog _catalog;
    private readonly ConfigReloader _reloader;
    private readonly GatewayHostOptions _options;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ModelSettingsStore _settings;
    private readonly ResourceSampler _resources;
    private readonly DateTimeOffset _startedAt;

    public ModelManagement(ModelCoordinator coordinator, ModelInventory inventory, ModelStore store, IModelCatalog catalog,
        ConfigReloader reloader, GatewayHostOptions options, IServiceProvider services, TimeProvider time,
        ModelSettingsStore settings, ResourceSampler resources)
    {
        _settings = settings;
        _resources = resources;
        _coordinator = coordinator;
        _inventory = inventory;
        _store = store;
        _catalog = catalog;
        _reloader = reloader;
        _options = options;
        _services = services;
        _time = time;
        // The service's own start, not this object's (it is made on the first API call).
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        _startedAt = new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }

    private ModelCatalogService? Generated => _services.GetService<ModelCatalogService>();

    public ServiceStatusView GetStatus()
    {
        var statuses = _coordinator.GetStatus();
        var config = _coordinator.Config;
        var now = _time.GetUtcNow();
        var version = typeof(ModelManagement).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        return new ServiceStatusView(
            version.Split('+')[0],
            _startedAt,
            Math.Round((now - _startedAt).TotalSeconds, 1),
            ListenUrl(),
            _options.ConfigPath,
            _options.Discovery is not null,
            _options.ModelsDirs,
            Runtime(config),
            new MachineView(Environment.ProcessorCount, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, RuntimeInformation.OSDescription),
            config.Models.Count,
            statuses.Count(s => s.State == ModelState.Ready),
            Environment.ProcessId,
            [.. statuses.Where(s => s.State != ModelState.Stopped)
                .Select(s => new RunningModelView(s.ModelId, s.State.ToString().ToLowerInvariant()))])
        {
            MemoryBudgetBytes = _coordinator.Budget.RamBytes,
            // Counted as the budget counts them: the larger of what is budgeted and what is measured (a declared size wins).
            MemoryUsedBytes = statuses.Where(s => s.State != ModelState.Stopped)
                .Sum(s => Math.Max(s.BudgetedBytes ?? 0, s.BudgetSource == "config" ? 0 : s.Measured?.ResidentBytes ?? 0)),
        };
    }

    public Task<IReadOnlyList<ModelInfo>> ListAsync(CancellationToken cancellationToken) => _inventory.ListAsync(cancellationToken);

    public async Task<ModelInfo> GetAsync(string model, CancellationToken cancellationToken) =>
        await _inventory.FindAsync(model, cancellationToken).ConfigureAwait(false) ?? throw ManagementException.ModelNotFound(model);

    public async Task<ModelInfo> LoadAsync(string model, CancellationToken cancellationToken)
    {
        var id = ServedId(model);
        // A lease taken and given back at once: the model starts (evicting by the group rules) like
        // for a request, and then idles under its TTL.
        var lease = await _coordinator.AcquireAsync(id, cancellationToken).ConfigureAwait(false);
        lease.Dispose();
        // The lease is granted inside the loop's step, before that step publishes its snapshot: wait for
        // the publish, so the answer shows the model ready rather than the state just before.
        await _coordinator.FlushAsync().ConfigureAwait(false);
        return await GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ModelInfo> UnloadAsync(string model, CancellationToken cancellationToken)
    {
        var id = ServedId(model);
        await _coordinator.UnloadAsync(id, cancellationToken).ConfigureAwait(false);
        await _coordinator.FlushAsync().ConfigureAwait(false);
        return await GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ModelInfo> RestartAsync(string model, CancellationToken cancellationToken)
    {
        var id = ServedId(model);
        await _coordinator.UnloadAsync(id, cancellationToken).ConfigureAwait(false);
        return await LoadAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeleteOutcome> DeleteAsync(string model, CancellationToken cancellationToken)
    {
        var all = await _inventory.ListAsync(cancellationToken).ConfigureAwait(false);
        var target = InventoryJoin.Find(all, _coordinator.Config, model) ?? throw ManagementException.ModelNotFound(model);
        if (Core.Catalog.AliasDeletion.Refusal(model, target.Id) is { } refusal)
        {
            throw new ManagementException(ManagementFailure.Conflict, "automatic_alias", refusal);
        }
        if (target.Files is not { } files)
        {
            throw new ManagementException(ManagementFailure.Conflict, "no_model_files",
                $"model '{target.Id}' runs a command that names no model file ModelSwap can see; there is nothing to delete");
        }
        // Checked before anything stops: a file outside the models folders is refused with the model untouched.
        _store.EnsureDeletable(files.Parts);
        var users = all.Where(m => m.Served && m.Files?.Path == files.Path).Select(m => m.Id).ToList();
        var keepProjector = files.Projector is { } projector && all.Any(m => m.Files is { } other && other.Path != files.Path && other.Projector == projector);
        DeleteResult? deleted = null;
        var catalog = "";
        async Task DeleteFilesAsync(CancellationToken ct)
        {
            try
            {
                deleted = _store.Delete(files.Parts, files.Projector, keepProjector);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ManagementException(ManagementFailure.Failed, "delete_failed", $"deleting the files of '{target.Id}' failed: {ex.Message}", ex);
            }
            catalog = await _catalog.RefreshAsync(ct).ConfigureAwait(false);
        }
        if (users.Count == 0)
        {
            await DeleteFilesAsync(cancellationToken).ConfigureAwait(false); // no config entry: nothing can start it
        }
        else
        {
            await _coordinator.RetireAsync(new Retirement(users, "deleting its files", DeleteFilesAsync), cancellationToken).ConfigureAwait(false);
        }
        return new DeleteOutcome(target.Id, deleted?.DeletedFiles ?? [], deleted?.KeptFiles ?? [], catalog);
    }

    public async Task<ConfigReloadOutcome> ReloadConfigAsync(CancellationToken cancellationToken)
    {
        var before = _coordinator.Config;
        if (Generated is { } generated)
        {
            var result = await RegenerateAsync(generated, "reload requested", cancellationToken).ConfigureAwait(false);
            return Outcome(result.Config ?? "", result.Errors.Count == 0, before, result.Errors, result.Warnings);
        }
        if (_options.ConfigPath is not { } path)
        {
            throw new ManagementException(ManagementFailure.Conflict, "no_config_file", "this gateway was started with a config in memory; there is no file to reload");
        }
        var loaded = await _reloader.ReloadAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new ManagementException(ManagementFailure.Failed, "reload_failed", $"reloading {path} failed; see /logs. The last good config stays in force");
        return Outcome(path, loaded.IsValid, before, [.. loaded.Errors.Select(e => e.ToString())], [.. loaded.Warnings.Select(w => w.ToString())]);
    }

    public Task<RegenerateOutcome> RegenerateConfigAsync(CancellationToken cancellationToken) =>
        Generated is { } generated
            ? RegenerateAsync(generated, "requested", cancellationToken)
            : throw new ManagementException(ManagementFailure.Conflict, "config_not_generated",
                "this gateway serves a config file given with --config; regenerating works when ModelSwap generates its config from the models folders (serve without --config)");

    private static async Task<RegenerateOutcome> RegenerateAsync(ModelCatalogService catalog, string reason, CancellationToken cancellationToken)
    {
        RegenerationResult result;
        try
        {
            result = await catalog.RegenerateAsync(reason, refreshBinary: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ManagementException(ManagementFailure.Failed, "regenerate_failed",
                $"regenerating the config failed: {ex.Message}; the current models stay served", ex);
        }
        var generation = result.Generation;
        return new RegenerateOutcome(generation.Models.Count, [.. generation.Models.Select(m => m.Name)], generation.Warnings,
            generation.Scan.Pending, generation.Errors, generation.Changed, result.Applied, generation.OutputPath, generation.LlamaServer?.Path);
    }

    private ConfigReloadOutcome Outcome(string path, bool applied, ModelSwapConfig before, IReadOnlyList<string> errors, IReadOnlyList<string> warnings)
    {
        var diff = ConfigDiff.Compute(before, _coordinator.Config);
        return new ConfigReloadOutcome(path, applied, diff.Added, diff.Removed, diff.Changed, diff.Unchanged, errors, warnings);
    }

    public async Task<ModelHeaderView> GetHeaderAsync(string model, CancellationToken cancellationToken)
    {
        var info = await GetAsync(model, cancellationToken).ConfigureAwait(false);
        var path = info.Files?.Path ?? throw new ManagementException(ManagementFailure.NotFound, "no_model_files",
            $"model '{info.Id}' runs a command that names no model file ModelSwap can see; it has no GGUF header to show");
        // Headers with large vocabularies take a moment to step over: off the caller's thread.
        return await Task.Run(() => ModelHeaders.Read(path), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ModelDraftsView> GetDraftsAsync(string model, CancellationToken cancellationToken) =>
        await _inventory.DraftsAsync(await GetAsync(model, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public Task<ModelSettingsView> GetSettingsAsync(string model, CancellationToken cancellationToken) => _settings.GetAsync(model, cancellationToken);

    public Task<ModelSettingsView> SaveSettingsAsync(string model, ModelSettings settings, CancellationToken cancellationToken) =>
        _settings.SaveAsync(model, settings, cancellationToken);

    public ResourceHistoryView GetResources() =>
        new(ResourceSampler.Interval.TotalSeconds, Environment.ProcessorCount, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, _resources.Samples);

    /// <summary>The served model id a name (id or alias) refers to; not found otherwise.</summary>
    private string ServedId(string model) => _coordinator.Config.ResolveModelId(model) ?? throw ManagementException.ModelNotFound(model);

    private string ListenUrl()
    {
        var addresses = _services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses?.FirstOrDefault() ?? $"http://{_options.Listen}";
    }

    private RuntimeView Runtime(ModelSwapConfig config)
    {
        if (Generated?.Last?.Generation is { } generation)
        {
            return generation.LlamaServer is { } server
                ? new RuntimeView(ModelRuntimes.LlamaServer, server.Path, server.Version)
                : new RuntimeView(ModelRuntimes.Engine, Core.Catalog.EngineCommandLine.ForCurrentProcess()[^1], null);
        }
        var commands = config.Models.Values.Select(m => m.Command).ToList();
        if (commands.FirstOrDefault(c => InventoryJoin.RuntimeOf(c) == ModelRuntimes.LlamaServer) is { IsDefaultOrEmpty: false } llama)
        {
            return new RuntimeView(ModelRuntimes.LlamaServer, llama[0], null);
        }
        return commands.Any(c => InventoryJoin.RuntimeOf(c) == ModelRuntimes.Engine)
            ? new RuntimeView(ModelRuntimes.Engine, Core.Catalog.EngineCommandLine.ForCurrentProcess()[^1], null)
            : new RuntimeView(ModelRuntimes.Custom, null, null);
    }
}
