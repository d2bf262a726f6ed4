using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Gateway.Hosting;

namespace ModelSwap.Gateway.Discovery;

public static class DiscoveryServiceCollectionExtensions
{
    /// <summary>
    /// When the gateway serves a generated config (<see cref="GatewayHostOptions.Discovery"/> set):
    /// the catalog service that regenerates it and the watcher that keeps it in step with the
    /// models folders. Nothing otherwise.
    /// </summary>
    public static IServiceCollection AddModelDiscovery(this IServiceCollection services, GatewayHostOptions options)
    {
        if (options.Discovery is null)
        {
            return services;
        }
        services.AddSingleton<ModelCatalogService>();
        services.AddSingleton<ModelDirectoryWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelDirectoryWatcher>());
        return services;
    }
}
