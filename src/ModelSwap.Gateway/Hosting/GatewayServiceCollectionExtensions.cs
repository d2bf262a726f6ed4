using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ModelSwap.Gateway.Api;
using ModelSwap.Gateway.Discovery;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Processes;
using ModelSwap.Gateway.Routing;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Hub.Downloads;
using ModelSwap.Hub.HuggingFace;
using ModelSwap.Hub.Store;

namespace ModelSwap.Gateway.Hosting;

/// <summary>The one DI registration shared by the app and the tests (tests replace, never re-register).</summary>
internal static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddModelSwapGateway(this IServiceCollection services, GatewayHostOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<GatewayLogs>();
        services.AddSingleton<ILoggerProvider, RingLoggerProvider>();
        services.AddSingleton<ForwardingClient>();
        services.AddHttpForwarder();
        services.AddModelProcesses();
        services.TryAddSingleton(_ => SystemMemory.Detect());
        services.AddSingleton(sp => new ModelCoordinator(
            sp.GetRequiredService<IModelProcessFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ModelCoordinator>>(),
            options.Config,
            sp.GetRequiredService<SystemMemory>()));
        services.AddSingleton<MemorySampler>();
        services.AddHostedService(sp => sp.GetRequiredService<MemorySampler>());
        services.AddSingleton<Monitoring.ResourceSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<Monitoring.ResourceSampler>());
        services.AddSingleton<ModelForwarder>();
        services.AddSingleton<Api.Ollama.OllamaGeneration>();
        services.AddSingleton<Api.Ollama.OllamaEmbedding>();
        services.AddSingleton<Api.Ollama.OllamaModelSource>();
        services.AddSingleton<Api.Ollama.OllamaModelEndpoints>();
        services.AddSingleton<Api.Ollama.OllamaPull>();
        services.AddSingleton<Api.Ollama.OllamaCopy>();
        services.AddSingleton<Activity.InFlightRequests>();
        services.AddActivityHistory(options);
        services.TryAddSingleton(ReloadTiming.Default);
        services.AddModelSwapSecurity();
        services.AddSingleton<ConfigReloader>();
        services.AddSingleton<EventHub>();
        services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddModelManagement();
        services.AddSingleton<GatewayMetrics>();
        services.TryAddSingleton<IModelCatalog, UserConfigCatalog>();
        services.AddModelManager(options);
        services.AddHostedService<EventBridge>();
        services.AddHostedService<CoordinatorLifetime>();
        services.TryAddKeyedSingleton(GracefulShutdown.ClockKey, (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.AddHostedService<GracefulShutdown>();
        services.AddHostedService<SwapWaitEnforcer>();
        services.AddHostedService(sp => sp.GetRequiredService<ConfigReloader>());
        services.AddModelDiscovery(options);
        return services;
    }

    /// <summary>
    /// The request history: the writer is registered before the other hosted services, so it stops
    /// after them (the requests that end during shutdown are still written).
    /// </summary>
    private static IServiceCollection AddActivityHistory(this IServiceCollection services, GatewayHostOptions options)
    {
        services.AddSingleton(options.Activity);
        services.AddSingleton<Activity.ActivityWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<Activity.ActivityWriter>());
        services.AddSingleton<Activity.ActivityRecorder>();
        services.AddSingleton<Activity.ActivityHistory>();
        services.AddHostedService<ActivityEvents>();
        return services;
    }

    /// <summary>The Hugging Face client, the download queue and the local model store.</summary>
    private static IServiceCollection AddModelManager(this IServiceCollection services, GatewayHostOptions options)
    {
        services.TryAddSingleton(_ => HubOptions.FromEnvironment());
        services.TryAddSingleton(sp => new HuggingFaceClient(sp.GetRequiredService<HubOptions>(), sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new DownloadManager(
            new DownloadManagerOptions(options.ModelsDirs[0]) { TimeProvider = sp.GetRequiredService<TimeProvider>() },
            sp.GetRequiredService<HubOptions>(), freeSpace: null, sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton(_ => new ModelStore(options.ModelsDirs));
        return services;
    }
}
