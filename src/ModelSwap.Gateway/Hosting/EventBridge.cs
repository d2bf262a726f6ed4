using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Discovery;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Hub.Downloads;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Connects the parts that report to /api/events (see <see cref="ServerEventNames"/>): model state
/// changes, download progress, rescans and applied configs are published; a finished download
/// refreshes the catalog so the new model is served at once.
/// </summary>
internal sealed partial class EventBridge(
    ModelCoordinator coordinator,
    DownloadManager downloads,
    IModelHub hub,
    IModelCatalog catalog,
    ConfigReloader reloader,
    ModelInventory inventory,
    IServiceProvider services,
    EventHub events,
    ILogger<EventBridge> logger) : IHostedService
{
    private ModelCatalogService? Generated => services.GetService<ModelCatalogService>();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        coordinator.StateChanged += OnStateChanged;
        coordinator.LoadProgressChanged += OnStateChanged;
        hub.DownloadChanged += OnDownload;
        downloads.Completed += OnCompleted;
        reloader.Applied += OnConfigApplied;
        if (Generated is { } generated)
        {
            generated.Regenerated += OnRegenerated;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        coordinator.StateChanged -= OnStateChanged;
        coordinator.LoadProgressChanged -= OnStateChanged;
        hub.DownloadChanged -= OnDownload;
        downloads.Completed -= OnCompleted;
        reloader.Applied -= OnConfigApplied;
        if (Generated is { } generated)
        {
            generated.Regenerated -= OnRegenerated;
        }
        return Task.CompletedTask;
    }

    private void OnStateChanged(ModelStatus status)
    {
        if (inventory.Served(status) is { } model)
        {
            events.Publish(ServerEventNames.Model, model);
        }
    }

    private void OnDownload(DownloadView download) => events.Publish(ServerEventNames.Download, download);

    private void OnConfigApplied(ConfigDiff diff) =>
        events.Publish(ServerEventNames.Config, new ConfigChangedEvent(diff.Added, diff.Removed, diff.Changed));

    private void OnRegenerated(RegenerationResult result, string reason) =>
        events.Publish(ServerEventNames.Catalog, new CatalogChangedEvent(reason, result.Generation.Models.Count,
            $"{result.Generation.Models.Count} models served"));

    private void OnCompleted(object? sender, DownloadCompleted completed)
    {
        // The event is raised on the download's thread: refresh off it, and never let a failure escape.
        _ = Task.Run(async () =>
        {
            try
            {
                var message = await catalog.RefreshAsync(CancellationToken.None).ConfigureAwait(false);
                LogRefreshed(completed.Job.Request.Repo, message);
                if (Generated is null)
                {
                    // A user's config is not regenerated, so no rescan reports this download.
                    events.Publish(ServerEventNames.Catalog, new CatalogChangedEvent($"downloaded {completed.Job.Request.Repo}", coordinator.Config.Models.Count, message));
                }
            }
            catch (Exception ex)
            {
                LogRefreshFailed(completed.Job.Request.Repo, ex);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Downloaded {Repo}: {Message}")]
    private partial void LogRefreshed(string repo, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing the catalog after downloading {Repo} failed")]
    private partial void LogRefreshFailed(string repo, Exception exception);
}
