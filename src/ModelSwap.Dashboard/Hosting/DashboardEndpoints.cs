using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;
using ModelSwap.Dashboard.Components;

namespace ModelSwap.Dashboard.Hosting;

/// <summary>
/// Maps the dashboard: its pages under /ui, Blazor's circuit at /_blazor and the static assets
/// (/_framework, /_content) from the app's static web assets manifest, so the dashboard works offline
/// from `dotnet run`, a build output and a publish alike. A browser asking for / is sent to /ui.
/// </summary>
internal static class DashboardEndpoints
{
    public const string Path = "/ui";

    public static WebApplication MapModelSwapDashboard(this WebApplication app)
    {
        UsePublishedWebRoot(app.Environment);
        // Only the Development environment adds the build-time asset locations by itself; a plain
        // `dotnet run` or a build output runs as Production, where MudBlazor's files would be missing.
        // After a publish the assets are in wwwroot and no build manifest is found: nothing changes.
        StaticWebAssetsLoader.UseStaticWebAssets(app.Environment, app.Configuration);
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        // GET / is the Ollama root (Api/Ollama): plain text for API clients, a redirect here for browsers.
        return app;
    }

    /// <summary>
    /// A publish puts the assets in wwwroot beside the executable, but the web root defaults to the current
    /// directory's wwwroot: `modelswap serve` started from anywhere else would serve no styles or scripts.
    /// </summary>
    private static void UsePublishedWebRoot(IWebHostEnvironment environment)
    {
        var published = System.IO.Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(published) && !string.Equals(environment.WebRootPath, published, StringComparison.Ordinal))
        {
            environment.WebRootPath = published;
            environment.WebRootFileProvider = new PhysicalFileProvider(published);
        }
    }
}
