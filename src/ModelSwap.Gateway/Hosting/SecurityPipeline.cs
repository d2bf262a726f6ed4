using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelSwap.Gateway.Routing;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// The gateway's front door, in order: Host check (DNS rebinding), CORS (preflights answered here),
/// HEAD as GET, routing, the body limit, then API keys (default-deny, see <see cref="OpenRoutes"/>).
/// </summary>
internal static class SecurityPipeline
{
    public static IServiceCollection AddModelSwapSecurity(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => SecuritySettings.FromEnvironment());
        services.AddSingleton<GatewaySecurity>();
        services.AddSingleton<IPresentedKeys>(provider => provider.GetRequiredService<GatewaySecurity>());
        services.AddSingleton<UpstreamKeys>();
        services.AddCors();
        services.AddSingleton<ICorsPolicyProvider, CorsPolicies>();
        return services;
    }

    public static WebApplication UseModelSwapSecurity(this WebApplication app)
    {
        // One redaction rule for what the log rings keep (the current config's secrets and the key flags).
        var security = app.Services.GetRequiredService<GatewaySecurity>();
        app.Services.GetRequiredService<GatewayLogs>().RedactWith(line => security.Redactor.Redact(line));
        app.UseMiddleware<HostCheckMiddleware>();
        app.UseCors();
        app.UseMiddleware<HeadRequests>();
        app.UseRouting();
        app.UseMiddleware<RequestLimits>();
        app.UseMiddleware<ApiKeyMiddleware>();
        return app;
    }
}
