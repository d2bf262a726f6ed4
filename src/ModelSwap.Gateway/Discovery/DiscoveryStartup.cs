using System.Net;
using ModelSwap.Core.Catalog;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Hosting;

namespace ModelSwap.Gateway.Discovery;

/// <summary>
/// The first generation, before the gateway starts: scan, write the config, load it. The result
/// carries the gateway options to start with, or why there are none.
/// </summary>
internal static class DiscoveryStartup
{
    public static async Task<DiscoveryStartupResult> PrepareAsync(DiscoveryOptions discovery, IPEndPoint listen,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        var generation = await new CatalogGenerator(discovery.Catalog).GenerateAsync(write: true, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var loaded = ConfigLoader.LoadFile(generation.OutputPath!);
        if (!loaded.IsValid)
        {
            return new DiscoveryStartupResult(null, generation, [.. loaded.Errors.Select(e => e.ToString())]);
        }
        var options = new GatewayHostOptions
        {
            Config = loaded.Config!,
            ConfigPath = generation.OutputPath,
            Discovery = discovery,
            // Downloads land in the first models folder, which is watched: they are served when complete.
            ModelsDirs = discovery.Catalog.ModelDirectories,
            Listen = listen,
        };
        return new DiscoveryStartupResult(options, generation, []);
    }
}
