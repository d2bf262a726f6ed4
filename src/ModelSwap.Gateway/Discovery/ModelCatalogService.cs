using Microsoft.Extensions.Logging;
using ModelSwap.Core.Catalog;
using ModelSwap.Gateway.Hosting;

namespace ModelSwap.Gateway.Discovery;

/// <summary>
/// Owns the generated config while the gateway serves it: regenerates from the models folders
/// (one at a time), writes the file only when it changes, and then has <see cref="ConfigReloader"/>
/// apply it, which restarts only changed models and keeps running models' ports. Warnings are
/// logged once when they first appear, not on every rescan.
/// </summary>
internal sealed partial class ModelCatalogService : IModelCatalog
{
    private readonly ConfigReloader _reloader;
    private readonly ILogger<ModelCatalogService> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HashSet<string> _reported = new(StringComparer.Ordinal);

    public ModelCatalogService(GatewayHostOptions options, ConfigReloader reloader, TimeProvider time, ILogger<ModelCatalogService> logger)
    {
        Options = options.Discovery ?? throw new InvalidOperationException("the gateway does not serve a generated config (GatewayHostOptions.Discovery is not set)");
        _reloader = reloader;
        _logger = logger;
        Generator = new CatalogGenerator(Options.Catalog, time);
    }

    public DiscoveryOptions Options { get; }

    public CatalogGenerator Generator { get; }

    /// <summary>Raised after a regeneration changed what is served, with its reason (the /api/events <c>catalog</c> event).</summary>
    public event Action<RegenerationResult, string>? Regenerated;

    /// <summary>The latest regeneration, or null before the first.</summary>
    public RegenerationResult? Last { get; private set; }

    /// <summary>A hash of the models folders and models.yaml; when it changes a regeneration may give a new config.</summary>
    public string Fingerprint(CancellationToken cancellationToken)
    {
        var overrides = new FileInfo(Options.Catalog.OverridesPath);
        var stamp = overrides.Exists ? $"{overrides.Length}:{overrides.LastWriteTimeUtc.Ticks}" : "none";
        return Generator.Scanner.Fingerprint(cancellationToken) + stamp;
    }

    /// <summary>The model manager downloaded or deleted a file: regenerate now rather than wait for the watcher.</summary>
    public async Task<string> RefreshAsync(CancellationToken cancellationToken)
    {
        var result = await RegenerateAsync("model files changed", refreshBinary: false, cancellationToken).ConfigureAwait(false);
        var generation = result.Generation;
        var skipped = generation.Warnings.Count == 0 ? "" : $"; {generation.Warnings.Count} warning(s), see /logs";
        return $"{generation.Models.Count} models served from {string.Join(", ", Options.Catalog.ModelDirectories)}{skipped}";
    }

    /// <param name="refreshBinary">Search for llama-server again (an explicit request does; file events do not).</param>
    public async Task<RegenerationResult> RegenerateAsync(string reason, bool refreshBinary, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var generation = await Generator.GenerateAsync(write: true, refreshBinary, cancellationToken).ConfigureAwait(false);
            Report(generation);
            var applied = false;
            if (generation.Errors.Count > 0)
            {
                foreach (var error in generation.Errors)
                {
                    LogGeneratedInvalid(error);
                }
            }
            else if (generation.Changed)
            {
                var loaded = await _reloader.ReloadAsync(cancellationToken).ConfigureAwait(false);
                applied = loaded?.IsValid == true;
                LogRegenerated(reason, generation.Models.Count, generation.OutputPath!, applied);
            }
            var result = new RegenerationResult(generation, applied);
            Last = result;
            if (applied)
            {
                Regenerated?.Invoke(result, reason);
            }
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Report(CatalogGeneration generation)
    {
        var now = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, choice) in generation.Contexts.Where(c => c.Value.Auto).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            // Logged when it changes, not on every regeneration.
            var key = $"ctx:{name}:{choice.Size}";
            if (now.Add(key) && !_reported.Contains(key))
            {
                LogContext(name, choice.Size, choice.Reason);
            }
        }
        foreach (var warning in generation.Warnings)
        {
            if (now.Add(warning) && !_reported.Contains(warning))
            {
                LogSkipped(warning);
            }
        }
        foreach (var pending in generation.Scan.Pending)
        {
            var key = "pending:" + pending;
            if (now.Add(key) && !_reported.Contains(key))
            {
                LogPending(pending);
            }
        }
        _reported = now;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Models: {Model} gets ctx-size {Context} ({Reason})")]
    private partial void LogContext(string model, int context, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Models: {Warning}")]
    private partial void LogSkipped(string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Models: {Path} is still being written; it is served once complete")]
    private partial void LogPending(string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Generated config is invalid, not applied: {Error}")]
    private partial void LogGeneratedInvalid(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Models changed ({Reason}): {Count} models, config {Path} regenerated, applied: {Applied}")]
    private partial void LogRegenerated(string reason, int count, string path, bool applied);
}
