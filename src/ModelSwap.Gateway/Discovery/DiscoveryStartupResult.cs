using ModelSwap.Core.Catalog;
using ModelSwap.Gateway.Hosting;

namespace ModelSwap.Gateway.Discovery;

/// <summary>The first generation: the options to start the gateway with (null when the config is invalid) and what was found.</summary>
internal sealed record DiscoveryStartupResult(GatewayHostOptions? Options, CatalogGeneration Generation, IReadOnlyList<string> Errors);
