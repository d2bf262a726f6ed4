using Microsoft.Extensions.Hosting;
using ModelSwap.Gateway.Activity;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Gateway.Hosting;

/// <summary>Publishes each row the history stores on /api/events (<see cref="ServerEventNames.Activity"/>), so pages update live.</summary>
internal sealed class ActivityEvents(ActivityWriter writer, EventHub events) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        writer.Stored += OnStored;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        writer.Stored -= OnStored;
        return Task.CompletedTask;
    }

    private void OnStored(ActivityEntry entry) => events.Publish(ServerEventNames.Activity, entry);
}
