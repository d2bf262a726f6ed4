using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Hosting;

/// <summary>Preloads hooks.on_startup models when the service starts; stops every model when it stops.</summary>
internal sealed partial class CoordinatorLifetime(ModelCoordinator coordinator, ILogger<CoordinatorLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Preloading must not hold up the listener: requests may arrive while the models start.
        _ = PreloadAsync();
        return Task.CompletedTask;
    }

    private async Task PreloadAsync()
    {
        try
        {
            await coordinator.PreloadAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogPreloadFailed(ex);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        LogStopping();
        await coordinator.StopAllAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Preloading models failed")]
    private partial void LogPreloadFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping every model server")]
    private partial void LogStopping();
}
