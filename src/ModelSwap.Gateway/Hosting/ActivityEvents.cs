using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelSwap.Gateway.Activity;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Publishes the requests on /api/events, so pages update live: each row the history stores
/// (<see cref="ServerEventNames.Activity"/>), and each request in flight as it arrives, is forwarded and
/// generates tokens (<see cref="ServerEventNames.Request"/>, not kept for replay).
/// </summary>
internal sealed partial class ActivityEvents(ActivityWriter writer, InFlightRequests requests, EventHub events, TimeProvider time,
    ILogger<ActivityEvents> logger) : IHostedService
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

    /// <summary>Runs on the thread passing the request's answer along: whatever happens here must not break that answer.</summary>
    private void OnChanged(InFlightRequest request)
    {
        try
        {
            events.Publish(ServerEventNames.Request, InFlightRequestView.From(request, time.GetUtcNow()), replay: false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogPublishFailed(request.Id, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The progress of request {RequestId} could not be published")]
    private partial void LogPublishFailed(string requestId, Exception exception);
}
