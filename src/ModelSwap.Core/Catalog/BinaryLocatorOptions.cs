namespace ModelSwap.Core.Catalog;

/// <summary>Where <see cref="BinaryLocator"/> looks; every input is injectable for tests.</summary>
public sealed record BinaryLocatorOptions
{
    /// <summary>A file, or a folder holding it, from settings. When set, nothing else is tried.</summary>
    public string? ExplicitPath { get; init; }

    /// <summary>The folder of the ModelSwap executable, where bundled binaries live.</summary>
    public string BaseDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>The PATH value to search; null searches nothing.</summary>
    public string? PathVariable { get; init; } = Environment.GetEnvironmentVariable("PATH");

    public BinaryPlatform Platform { get; init; } = BinaryPlatform.Current;

    /// <summary>How long <c>--version</c> may take before the candidate is killed and passed over.</summary>
    public TimeSpan VersionTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
