using System.Collections.Immutable;

namespace ModelSwap.Core.Catalog;

/// <summary>Everything <see cref="CatalogGenerator"/> reads and writes; defaults come from the environment.</summary>
public sealed record CatalogOptions
{
    /// <summary>The user's models folders (default: <c>MODELSWAP_MODELS_DIR</c>, else <c>~/.clara/llama-models</c>).</summary>
    public IReadOnlyList<string> ModelDirectories { get; init; } = [CatalogPaths.DefaultModelsDirectory()];

    /// <summary>Models shipped next to the executable; null scans none.</summary>
    public string? BundledDirectory { get; init; } = CatalogPaths.BundledModelsDirectory;

    /// <summary>State folder (default: <c>MODELSWAP_HOME</c>, else <c>~/.modelswap</c>).</summary>
    public string HomeDirectory { get; init; } = CatalogPaths.DefaultHome();

    /// <summary>The user's models.yaml; null means <c>models.yaml</c> in <see cref="HomeDirectory"/>.</summary>
    public string? OverridesFile { get; init; }

    /// <summary>Where the generated config goes; null means <c>config.generated.yaml</c> in <see cref="HomeDirectory"/>.</summary>
    public string? OutputFile { get; init; }

    /// <summary>How to run the built-in engine; null means the way this process runs (<see cref="EngineCommandLine"/>).</summary>
    public ImmutableArray<string>? EngineCommand { get; init; }

    /// <summary>
    /// llama-server to use, or <c>engine</c> for the built-in engine; takes precedence over
    /// models.yaml's <c>settings.llamaServer</c>. Null: models.yaml's setting, else search.
    /// </summary>
    public string? LlamaServer { get; init; }

    /// <summary>Where llama-server is searched for when no path is set.</summary>
    public BinaryLocatorOptions Locator { get; init; } = new();

    /// <summary>Defaults for every model before models.yaml's settings apply (ports, TTL, health timeout).</summary>
    public GeneratorSettings Settings { get; init; } = new();

    /// <summary>See <see cref="ModelScannerOptions.SettleTime"/>.</summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(1);

    public string OverridesPath => Path.GetFullPath(OverridesFile ?? Path.Combine(HomeDirectory, CatalogPaths.OverridesFileName));

    public string OutputPath => Path.GetFullPath(OutputFile ?? Path.Combine(HomeDirectory, CatalogPaths.GeneratedConfigFileName));
}
