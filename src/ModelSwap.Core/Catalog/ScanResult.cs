namespace ModelSwap.Core.Catalog;

/// <summary>What one scan of the models folders found.</summary>
public sealed record ScanResult
{
    /// <summary>The models to serve, sorted by name. Projectors are never listed; they ride on their model.</summary>
    public IReadOnlyList<DiscoveredModel> Models { get; init; } = [];

    /// <summary>One line per file or folder that was skipped, naming it and saying why.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// Files not served yet because they may still be changing: written to within the settle time,
    /// or shorter than their header says (half copied). Scan again later to pick them up.
    /// </summary>
    public IReadOnlyList<string> Pending { get; init; } = [];

    /// <summary>Every folder walked, by real path (links resolved): what a watcher has to watch.</summary>
    public IReadOnlyList<string> Directories { get; init; } = [];
}
