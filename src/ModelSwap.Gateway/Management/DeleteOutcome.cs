namespace ModelSwap.Gateway.Management;

/// <summary>DELETE /api/models/{id}: the files removed, shared files kept, and the catalog after.</summary>
/// <param name="Kept">Files left because another model still uses them (a shared projector).</param>
/// <param name="Catalog">One line on what is served now.</param>
public sealed record DeleteOutcome(string Id, IReadOnlyList<string> Deleted, IReadOnlyList<string> Kept, string Catalog);
