namespace ModelSwap.Core.Catalog;

/// <summary>Where <see cref="BinaryLocator"/> found the binary.</summary>
public enum BinarySource
{
    /// <summary>The path the user configured.</summary>
    Explicit,

    /// <summary>Shipped next to the ModelSwap executable.</summary>
    Bundled,

    /// <summary>Found on PATH.</summary>
    Path,
}
