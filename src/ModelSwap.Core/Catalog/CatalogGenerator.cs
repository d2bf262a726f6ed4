using System.Collections.Immutable;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// Models folders to config file: scan (<see cref="ModelScanner"/>), apply models.yaml, choose
/// llama-server or the built-in engine (<see cref="BinaryLocator"/>), generate
/// (<see cref="ConfigGenerator"/>), check the result with the config validator, and write
/// <c>config.generated.yaml</c> atomically, only when its content changes. Keep one instance per
/// set of folders: it caches headers and the llama-server search between runs. Calls are
/// serialized.
/// </summary>
public sealed class CatalogGenerator
{
    /// <summary>The models.yaml value of <c>settings.llamaServer</c> that forces the built-in engine.</summary>
    public const string EngineSetting = "engine";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Key, BinarySearchResult Result)? _binary;

    public CatalogGenerator(CatalogOptions options, TimeProvider? timeProvider = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Scanner = new ModelScanner(new ModelScannerOptions
        {
            Directories = options.ModelDirectories,
            BundledDirectory = options.BundledDirectory,
            SettleTime = options.SettleTime,
        }, timeProvider);
    }

    public CatalogOptions Options { get; }

    public ModelScanner Scanner { get; }

    /// <param name="write">Write <see cref="CatalogOptions.OutputPath"/>; false only computes the text.</param>
    /// <param name="refreshBinary">Search for llama-server again instead of reusing the last search.</param>
    public async Task<CatalogGeneration> GenerateAsync(bool write = true, bool refreshBinary = false, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await GenerateLockedAsync(write, refreshBinary, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<CatalogGeneration> GenerateLockedAsync(bool write, bool refreshBinary, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var overrides = ModelOverridesFile.Load(Options.OverridesPath);
        warnings.AddRange(overrides.Errors);
        warnings.AddRange(overrides.Warnings);
        overrides = WithoutSharedAliases(overrides, warnings);

        // Scanning is synchronous file I/O; keep it off the caller's thread (a request, a timer).
        var scan = await Task.Run(() => Scanner.Scan(overrides, cancellationToken), cancellationToken).ConfigureAwait(false);
        (scan, overrides) = WithoutAliasesNamingModels(scan, overrides, warnings);
        warnings.InsertRange(0, scan.Warnings);
        foreach (var name in overrides.Models.Keys.Where(n => scan.Models.All(m => m.Name != n)).Order(StringComparer.Ordinal))
        {
            warnings.Add($"{Options.OverridesPath}: models.{name}: no model of that name is in the models folders");
        }

        var binary = await LocateLlamaServerAsync(overrides, refreshBinary, warnings, cancellationToken).ConfigureAwait(false);
        var settings = Options.Settings with
        {
            LlamaServerPath = binary?.Path,
            EngineCommand = Options.EngineCommand ?? EngineCommandLine.ForCurrentProcess(),
            ContextCap = overrides.ContextCap ?? Options.Settings.ContextCap,
            Ttl = overrides.Ttl ?? Options.Settings.Ttl,
            GpuLayers = overrides.GpuLayers ?? Options.Settings.GpuLayers,
        };
        var yaml = ConfigGenerator.Generate(scan.Models, settings, overrides.Models);

        var check = ConfigLoader.Parse(yaml, Options.OutputPath, new ConfigLoadOptions { IsPortFree = _ => true });
        var errors = check.Errors.Select(e => e.ToString()).ToList();
        var changed = false;
        if (write)
        {
            changed = AtomicFile.WriteIfChanged(Options.OutputPath, yaml);
        }
        return new CatalogGeneration
        {
            Yaml = yaml,
            Scan = scan,
            Settings = settings,
            Overrides = overrides,
            LlamaServer = binary,
            Warnings = warnings,
            Errors = errors,
            OutputPath = write ? Options.OutputPath : null,
            Changed = changed,
        };
    }

    private async Task<LocatedBinary?> LocateLlamaServerAsync(ModelOverridesFile overrides, bool refresh,
        List<string> warnings, CancellationToken cancellationToken)
    {
        var setting = (Options.LlamaServer ?? overrides.LlamaServer)?.Trim();
        if (string.Equals(setting, EngineSetting, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var explicitPath = string.IsNullOrEmpty(setting) ? Options.Locator.ExplicitPath : CatalogPaths.ExpandHome(setting);
        var key = explicitPath ?? "";
        if (refresh || _binary is not { } cached || cached.Key != key)
        {
            var result = await new BinaryLocator(Options.Locator with { ExplicitPath = explicitPath }).LocateAsync(cancellationToken).ConfigureAwait(false);
            _binary = cached = (key, result);
        }
        if (cached.Result.Binary is null && !string.IsNullOrEmpty(explicitPath))
        {
            var why = cached.Result.Rejected.Count > 0 ? string.Join("; ", cached.Result.Rejected) : $"{explicitPath}: not found";
            warnings.Add($"llama-server {explicitPath} is not usable ({why}); models run on the built-in engine");
        }
        return cached.Result.Binary;
    }

    /// <summary>
    /// An alias two models claim in models.yaml stays with the first by name (the validator would
    /// reject the config otherwise); a disabled model claims none.
    /// </summary>
    private ModelOverridesFile WithoutSharedAliases(ModelOverridesFile overrides, List<string> warnings)
    {
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        var models = overrides.Models;
        foreach (var (name, own) in overrides.Models.Where(p => !p.Value.Disabled).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var kept = ImmutableArray.CreateBuilder<string>();
            foreach (var alias in own.Aliases)
            {
                if (owner.TryGetValue(alias, out var first) && first != name)
                {
                    warnings.Add($"{Options.OverridesPath}: models.{name}: alias '{alias}' is already given to '{first}'; ignored here");
                    continue;
                }
                owner[alias] = name;
                kept.Add(alias);
            }
            if (kept.Count != own.Aliases.Length)
            {
                models = models.SetItem(name, own with { Aliases = kept.ToImmutable() });
            }
        }
        return overrides with { Models = models };
    }

    /// <summary>A user alias equal to a model's name would hide that model; it is dropped.</summary>
    private (ScanResult, ModelOverridesFile) WithoutAliasesNamingModels(ScanResult scan, ModelOverridesFile overrides, List<string> warnings)
    {
        var names = scan.Models.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var models = new List<DiscoveredModel>();
        var owned = overrides.Models;
        foreach (var model in scan.Models)
        {
            var clashing = model.Aliases.Where(names.Contains).ToList();
            if (clashing.Count == 0)
            {
                models.Add(model);
                continue;
            }
            foreach (var alias in clashing)
            {
                warnings.Add($"{Options.OverridesPath}: models.{model.Name}: alias '{alias}' is the name of a model; ignored");
            }
            models.Add(model with { Aliases = [.. model.Aliases.Except(clashing, StringComparer.Ordinal)] });
            if (owned.GetValueOrDefault(model.Name) is { } own)
            {
                owned = owned.SetItem(model.Name, own with { Aliases = [.. own.Aliases.Except(clashing, StringComparer.Ordinal)] });
            }
        }
        return (scan with { Models = models }, overrides with { Models = owned });
    }
}
