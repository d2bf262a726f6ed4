namespace ModelSwap.Core.Catalog;

/// <summary>The outcome of a search: the binary, if any, and why every candidate before it was passed over.</summary>
/// <param name="Rejected">One line per candidate that existed but did not work, naming the path and the reason.</param>
internal sealed record BinarySearchResult(LocatedBinary? Binary, IReadOnlyList<string> Rejected);
