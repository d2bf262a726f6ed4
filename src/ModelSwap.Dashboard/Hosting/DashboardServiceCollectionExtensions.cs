using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ModelSwap.Dashboard.Hosting;

/// <summary>Registers what the dashboard needs: Razor components with interactive server rendering and MudBlazor.</summary>
public static class DashboardServiceCollectionExtensions
{
    public static IServiceCollection AddModelSwapDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        return services;
    }
}
