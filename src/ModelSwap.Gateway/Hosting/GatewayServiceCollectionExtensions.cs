using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelSwap.Gateway.Processes;
using ModelSwap.Gateway.Routing;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Hosting;

/// <summary>The one DI registration shared by the app and the tests (tests replace, never re-register).</summary>
public static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddModelSwapGateway(this IServiceCollection services, GatewayHostOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<GatewayLogs>();
        services.AddSingleton<ILoggerProvider, RingLoggerProvider>();
        services.AddSingleton<ForwardingClient>();
        services.AddHttpForwarder();
        services.AddModelProcesses();
        services.AddSingleton(sp => new ModelCoordinator(
            sp.GetRequiredService<IModelProcessFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ModelCoordinator>>(),
            options.Config));
        services.AddSingleton<ModelForwarder>();
        services.AddSingleton<ConfigReloader>();
        services.AddHostedService<CoordinatorLifetime>();
        services.AddHostedService(sp => sp.GetRequiredService<ConfigReloader>());
        return services;
    }
}
