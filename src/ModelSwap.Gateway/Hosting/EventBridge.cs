using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelSwap.Gateway.Api;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Hub.Downloads;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Connects the parts that report to /api/events: model state changes and download progress are
/// published; a finished download refreshes the catalog so the new model is served at once.
/// </summary>
internal sealed partial class EventBridge(
    ModelCoordinator coordinator,
    DownloadManager downloads,
    IModelCatalog catalog,
    EventHub events,
    ILogger<EventBridge> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        coordinator.StateChanged += OnStateChanged;
        coordinator.LoadProgressChanged += OnStateChanged;
        downloads.ProgressChanged += OnProgress;
        downloads.Completed += OnCompleted;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        coordinator.StateChanged -= OnStateChanged;
        coordinator.LoadProgressChanged -= OnStateChanged;
        downloads.ProgressChanged -= OnProgress;
        downloads.Completed -= OnCompleted;
        return Task.CompletedTask;
    }

    private void OnStateChanged(ModelStatus status) => events.Publish("model", new JsonObject
    {
        ["model"] = status.ModelId,
        ["state"] = status.State.ToString().ToLowerInvariant(),
        ["pid"] = status.Pid,
        ["progress"] = LlamaSwapEndpoints.Percent(status.LoadProgress),
    });

    private void OnProgress(object? sender, DownloadProgress progress) =>
        events.Publish("download", DownloadEndpoints.View(progress.JobId, progress.Request,
            downloads.Get(progress.JobId)?.FinalPaths ?? [], progress.Status));

    private void OnCompleted(object? sender, DownloadCompleted completed)
    {
        // The event is raised on the download's thread: refresh off it, and never let a failure escape.
        _ = Task.Run(async () =>
        {
            try
            {
                var message = await catalog.RefreshAsync(CancellationToken.None).ConfigureAwait(false);
                LogRefreshed(completed.Job.Request.Repo, message);
                events.Publish("catalog", new JsonObject { ["reason"] = $"downloaded {completed.Job.Request.Repo}", ["message"] = message });
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
