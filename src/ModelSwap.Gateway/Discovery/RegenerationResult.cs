using ModelSwap.Core.Catalog;

namespace ModelSwap.Gateway.Discovery;

/// <summary>One regeneration: what was generated and whether the gateway now serves it.</summary>
/// <param name="Applied">The config changed and the reload was accepted (only changed models restart).</param>
internal sealed record RegenerationResult(CatalogGeneration Generation, bool Applied);
