namespace ModelSwap.Core.Catalog;

/// <summary>Where <see cref="ModelScanner"/> looks and how patient it is with files still being written.</summary>
public sealed record ModelScannerOptions
{
    /// <summary>The user's models folders, scanned recursively (default: <see cref="CatalogPaths.DefaultModelsDirectory"/>).</summary>
    public IReadOnlyList<string> Directories { get; init; } = [CatalogPaths.DefaultModelsDirectory()];

    /// <summary>Models shipped with ModelSwap, <c>models/</c> next to the executable; null scans none.</summary>
    public string? BundledDirectory { get; init; } = CatalogPaths.BundledModelsDirectory;

    /// <summary>
    /// A file written to within this time whose completeness its header cannot prove is left for a
    /// later scan: it may still be growing. A file exactly as long as its header describes is served at once.
    /// </summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(1);
}
