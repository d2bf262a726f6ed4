using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ModelSwap.Gateway.Processes;

internal static class ProcessesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IModelProcessFactory"/> (real processes), <see cref="UpstreamLogs"/>,
    /// <see cref="TimeProvider.System"/> and the readiness-probe HttpClient. TryAdd throughout, so a
    /// test that registered its own factory or clock first keeps it.
    /// </summary>
    public static IServiceCollection AddModelProcesses(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UpstreamLogs>();
        services.TryAddSingleton<IModelProcessFactory, ModelProcessFactory>();
        services.AddHttpClient(ModelProcessFactory.HealthClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Model servers are local: an HTTP(S)_PROXY from the environment must not catch probes.
                UseProxy = false,
                AllowAutoRedirect = false,
                ConnectTimeout = ReadinessProbe.AttemptTimeout,
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
            })
            // Probes run every few milliseconds during a start; a log line per probe would drown the log.
            .RemoveAllLoggers();
        return services;
    }
}
