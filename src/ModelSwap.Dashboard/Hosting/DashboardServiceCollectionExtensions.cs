using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelSwap.Dashboard.Live;
using ModelSwap.Dashboard.Playground;
using MudBlazor.Services;

namespace ModelSwap.Dashboard.Hosting;

/// <summary>Registers what the dashboard needs: Razor components with interactive server rendering and MudBlazor.</summary>
internal static class DashboardServiceCollectionExtensions
{
    public static IServiceCollection AddModelSwapDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayAddress>();
        services.AddScoped<LiveModels>();
        services.AddHttpContextAccessor();
        services.AddScoped<CircuitCredential>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CredentialCircuitHandler>());
        services.AddScoped<LiveDownloads>();
        services.AddScoped<LiveActivity>();
        // No timeout: a chat may wait for a model to start and then stream for minutes; the Stop button cancels.
        services.AddHttpClient<PlaygroundClient>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        return services;
    }
}
