using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Fans server events (model state changes, download progress, config reloads) out to live
/// subscribers of /api/events. Each subscriber has a bounded queue: a slow one loses old events,
/// it never slows the publisher.
/// </summary>
public sealed class EventHub
{
    private readonly object _gate = new();
    private readonly List<ChannelWriter<string>> _subscribers = [];

    /// <summary>Publishes one event: <paramref name="type"/> names it, <paramref name="data"/> is its JSON body.</summary>
    public void Publish(string type, JsonNode data)
    {
        var line = JsonSerializer.Serialize(new JsonObject { ["type"] = type, ["data"] = data });
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.TryWrite(line);
            }
        }
    }

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Every event published from now until cancelled, as serialized JSON.</summary>
    public async IAsyncEnumerable<string> SubscribeAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(256)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _subscribers.Add(channel.Writer);
        }
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel.Writer);
            }
        }
    }
}
