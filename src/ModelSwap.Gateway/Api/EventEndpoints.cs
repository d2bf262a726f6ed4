using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Api;

/// <summary>
/// GET /api/events: server-sent events, each named and id'd (see <see cref="ServerEventNames"/>).
/// The first is a <c>snapshot</c> equal to GET /api/models, so a page that connects late draws the
/// current state at once and then applies the events. <c>?logs=all|proxy|upstream</c> adds log lines.
/// A client that reconnects with <c>Last-Event-ID</c> (as a browser's EventSource does) gets the
/// events it missed instead, oldest first, when the hub still has them all; otherwise a fresh snapshot.
/// </summary>
internal static class EventEndpoints
{
    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/events", (string? logs, HttpContext context, EventHub events, IModelManagement management, GatewayLogs gatewayLogs) =>
            {
                var ring = logs switch
                {
                    null or "" or "none" => null,
                    "all" or "true" => gatewayLogs.All,
                    "proxy" => gatewayLogs.Proxy,
                    "upstream" => gatewayLogs.Upstream,
                    _ => throw new ManagementException(ManagementFailure.InvalidRequest, "invalid_logs",
                        $"logs '{logs}' is not one of all, proxy, upstream"),
                };
                context.Response.Headers["X-Accel-Buffering"] = "no";
                var lastEventId = long.TryParse(context.Request.Headers["Last-Event-ID"], System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var last) ? last : (long?)null;
                return TypedResults.ServerSentEvents(StreamAsync(events, management, ring, logs ?? "", lastEventId, context.RequestAborted));
            })
            .WithTags("Management")
            .WithSummary("Server-sent events: a snapshot of every model first (or, with Last-Event-ID, the events missed since), then model, download, catalog, config (and log) events");
        return routes;
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(EventHub events, IModelManagement management, LogRing? ring,
        string stream, long? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribed before the snapshot is read, so nothing that happens after it is missed.
        using var subscription = events.Subscribe(lastEventId, out var missed);
        if (missed is null)
        {
            var snapshot = await management.ListAsync(cancellationToken).ConfigureAwait(false);
            var snapshotId = events.NextId();
            yield return Item(snapshotId, ServerEventNames.Snapshot, events.Serialize(snapshot));
        }
        else
        {
            foreach (var item in missed)
            {
                yield return Item(item.Id, item.Name, item.Data);
            }
        }
        var merged = ring is null ? subscription.Reader : Merge(subscription.Reader, ring, stream, events, cancellationToken);
        await foreach (var item in ReadAsync(merged, cancellationToken).ConfigureAwait(false))
        {
            yield return Item(item.Id, item.Name, item.Data);
        }
    }

    private static async IAsyncEnumerable<ServerEvent> ReadAsync(ChannelReader<ServerEvent> reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            ServerEvent item;
            try
            {
                item = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break; // the client left
            }
            catch (ChannelClosedException)
            {
                yield break;
            }
            yield return item;
        }
    }

    /// <summary>The subscription's events and the ring's new log lines, in one queue.</summary>
    private static ChannelReader<ServerEvent> Merge(ChannelReader<ServerEvent> events, LogRing ring, string stream, EventHub hub, CancellationToken cancellationToken)
    {
        var merged = Channel.CreateBounded<ServerEvent>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    merged.Writer.TryWrite(item);
                }
            }
            catch (OperationCanceledException)
            {
            }
            merged.Writer.TryComplete();
        }, CancellationToken.None);
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var line in ring.FollowAsync(cancellationToken).ConfigureAwait(false))
                {
                    merged.Writer.TryWrite(new ServerEvent(hub.NextId(), ServerEventNames.Log, hub.Serialize(new LogLineEvent(stream, line))));
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
        return merged.Reader;
    }

    private static SseItem<string> Item(long id, string name, string data) =>
        new(data, name) { EventId = id.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
