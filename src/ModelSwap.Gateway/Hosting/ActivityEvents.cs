using Microsoft.Extensions.Hosting;
using ModelSwap.Gateway.Activity;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Publishes the requests on /api/events, so pages update live: each row the history stores
/// (<see cref="ServerEventNames.Activity"/>), and each request in flight as it arrives, is forwarded and
/// generates tokens (<see cref="ServerEventNames.Request"/>, not kept for replay).
/// </summary>
internal sealed class ActivityEvents(ActivityWriter writer, InFlightRequests requests, EventHub events, TimeProvider time) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        writer.Stored += OnStored;
        requests.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        writer.Stored -= OnStored;
        requests.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    private void OnStored(ActivityEntry entry) => events.Publish(ServerEventNames.Activity, entry);

    private void OnChanged(InFlightRequest request) =>
        events.Publish(ServerEventNames.Request, InFlightRequestView.From(request, time.GetUtcNow()), replay: false);
}
