using Microsoft.Extensions.DependencyInjection;

namespace ModelSwap.Gateway.Management;

internal static class ManagementServiceCollectionExtensions
{
    /// <summary>The inventory and the management services (models, activity, hub and downloads), one instance each.</summary>
    public static IServiceCollection AddModelManagement(this IServiceCollection services)
    {
        services.AddSingleton<ModelInventory>();
        services.AddSingleton<ModelSettingsStore>();
        services.AddSingleton<ModelManagement>();
        services.AddSingleton<IModelManagement>(sp => sp.GetRequiredService<ModelManagement>());
        services.AddSingleton<IActivityManagement, ActivityManagement>();
        services.AddSingleton<IModelHub, ModelHub>();
        return services;
    }
}
