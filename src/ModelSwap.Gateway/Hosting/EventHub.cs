using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Fans server events out to live subscribers of /api/events. Each event has a name (<c>model</c>,
/// <c>download</c>, <c>catalog</c>, <c>config</c>, …) and an id that only grows, and its data is
/// serialized once, with the same JSON options as the HTTP API. Each subscriber has a bounded
/// queue: a slow one loses old events, it never slows the publisher.
/// </summary>
public sealed class EventHub
{
    private readonly object _gate = new();
    private readonly List<ChannelWriter<ServerEvent>> _subscribers = [];
    private readonly JsonSerializerOptions _json;
    private long _lastId;

    public EventHub(IOptions<JsonOptions> json)
    {
        ArgumentNullException.ThrowIfNull(json);
        _json = json.Value.SerializerOptions;
    }

    /// <summary>The id of the latest event (0 before the first).</summary>
    public long LastId => Interlocked.Read(ref _lastId);

    /// <summary>A new id, for events written to one subscriber only (its snapshot, its log lines).</summary>
    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>Serializes <paramref name="data"/> as the HTTP API would, for an event written by hand.</summary>
    public string Serialize<T>(T data) => JsonSerializer.Serialize(data, _json);

    /// <summary>Publishes one event to every subscriber.</summary>
    public void Publish<T>(string name, T data)
    {
        var json = Serialize(data);
        lock (_gate)
        {
            var item = new ServerEvent(NextId(), name, json);
            foreach (var subscriber in _subscribers)
            {
                subscriber.TryWrite(item);
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

    /// <summary>
    /// Registers a subscriber now (so nothing published after this call is missed) and returns its
    /// queue; dispose the subscription to leave.
    /// </summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<ServerEvent>(new BoundedChannelOptions(256)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _subscribers.Add(channel.Writer);
        }
        return new Subscription(this, channel);
    }

    private void Remove(ChannelWriter<ServerEvent> writer)
    {
        lock (_gate)
        {
            _subscribers.Remove(writer);
        }
    }

    /// <summary>One subscriber's queue of events.</summary>
    public sealed class Subscription(EventHub hub, Channel<ServerEvent> channel) : IDisposable
    {
        public ChannelReader<ServerEvent> Reader => channel.Reader;

        public void Dispose()
        {
            hub.Remove(channel.Writer);
            channel.Writer.TryComplete();
        }
    }
}
