namespace ModelSwap.Core.Catalog;

/// <summary>The outcome of one <see cref="CatalogGenerator.GenerateAsync"/>.</summary>
public sealed record CatalogGeneration
{
    /// <summary>The generated config.yaml text.</summary>
    public required string Yaml { get; init; }

    public required ScanResult Scan { get; init; }

    /// <summary>The settings the config was generated with (models.yaml's applied).</summary>
    public required GeneratorSettings Settings { get; init; }

    /// <summary>The per-model settings from models.yaml.</summary>
    public required ModelOverridesFile Overrides { get; init; }

    /// <summary>The llama-server models run with; null when they run on the built-in engine.</summary>
    public LocatedBinary? LlamaServer { get; init; }

    /// <summary>The scan's warnings, then problems in models.yaml and with a configured llama-server.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Each model's context and why (ctx-size: auto sizes it to the memory budget).</summary>
    public IReadOnlyDictionary<string, ContextChoice> Contexts { get; init; } = new Dictionary<string, ContextChoice>();

    /// <summary>Errors the config validator found in the generated text (none unless something is badly wrong).</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The file written, or null when nothing was written.</summary>
    public string? OutputPath { get; init; }

    /// <summary>True when the file's content changed (false when it already held exactly this config).</summary>
    public bool Changed { get; init; }

    /// <summary>The models in the config: the scan's, less those models.yaml disables.</summary>
    public IReadOnlyList<DiscoveredModel> Models =>
        [.. Scan.Models.Where(m => !(Overrides.Models.GetValueOrDefault(m.Name)?.Disabled ?? false))];
}
