using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelSwap.Gateway.Hosting;

namespace ModelSwap.Gateway.Discovery;

internal static class DiscoveryServiceCollectionExtensions
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
        // The model manager refreshes the catalog after a download or delete; with a generated
        // config that is a regeneration. A test's own catalog, registered first, is kept.
        var current = services.FirstOrDefault(d => d.ServiceType == typeof(IModelCatalog));
        if (current is null || current.ImplementationType == typeof(UserConfigCatalog))
        {
            services.Replace(ServiceDescriptor.Singleton<IModelCatalog>(sp => sp.GetRequiredService<ModelCatalogService>()));
        }
        services.AddSingleton<ModelDirectoryWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelDirectoryWatcher>());
        return services;
    }
}
