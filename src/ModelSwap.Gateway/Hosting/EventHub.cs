using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Fans server events out to live subscribers of /api/events. Each event has a name (<c>model</c>,
/// <c>download</c>, <c>catalog</c>, <c>config</c>, …) and an id that only grows, and its data is
/// serialized once, with the same JSON options as the HTTP API. Each subscriber has a bounded
/// queue: a slow one loses old events, it never slows the publisher. The latest
/// <see cref="ReplayCapacity"/> published events are kept, so a client that reconnects with the id
/// of the last event it saw (SSE's <c>Last-Event-ID</c>) gets the ones it missed. Ids start at the
/// hub's creation time in microseconds since 1970, so an id from an earlier run of the service is
/// always older than anything kept and never mistaken for a recent one.
/// </summary>
public sealed class EventHub
{
    private readonly object _gate = new();
    private readonly List<ChannelWriter<ServerEvent>> _subscribers = [];
    private readonly JsonSerializerOptions _json;
    private readonly Queue<ServerEvent> _recent = new();
    private long _lastId;
    // Every published event with an id up to this one has left _recent (or was never published).
    private long _forgottenUpTo;

    /// <summary>How many published events are kept for clients that reconnect.</summary>
    public const int ReplayCapacity = 1024;

    public EventHub(IOptions<JsonOptions> json, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(time);
        _json = json.Value.SerializerOptions;
        _lastId = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        _forgottenUpTo = _lastId;
    }

    /// <summary>The id of the latest event (the hub's first id minus one before the first).</summary>
    public long LastId => Interlocked.Read(ref _lastId);

    /// <summary>A new id, for events written to one subscriber only (its snapshot, its log lines).</summary>
    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>Serializes <paramref name="data"/> as the HTTP API would, for an event written by hand.</summary>
    public string Serialize<T>(T data) => JsonSerializer.Serialize(data, _json);

    /// <summary>Publishes one event to every subscriber.</summary>
    public void Publish<T>(string name, T data) => Publish(name, data, replay: true);

    /// <summary>
    /// Publishes one event to every subscriber; with <paramref name="replay"/> false it is not kept for
    /// clients that reconnect (frequent progress whose latest state a GET answers): it would push the
    /// events that matter out of the replay window.
    /// </summary>
    public void Publish<T>(string name, T data, bool replay)
    {
        var json = Serialize(data);
        lock (_gate)
        {
            var item = new ServerEvent(NextId(), name, json);
            if (replay)
            {
                _recent.Enqueue(item);
                if (_recent.Count > ReplayCapacity)
                {
                    _forgottenUpTo = _recent.Dequeue().Id;
                }
            }
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
    public Subscription Subscribe() => Subscribe(null, out _);

    /// <summary>
    /// Registers a subscriber now, as <see cref="Subscribe()"/>, for a client that saw every event up
    /// to <paramref name="lastEventId"/>. <paramref name="missed"/> is what it missed (published
    /// after that id and before this call, oldest first; log lines and snapshots are not kept), or
    /// null when that cannot be known: no id given, an id from another run, or events since it
    /// already forgotten. A null asks the caller to send a fresh snapshot instead.
    /// </summary>
    public Subscription Subscribe(long? lastEventId, out IReadOnlyList<ServerEvent>? missed)
    {
        var channel = Channel.CreateBounded<ServerEvent>(new BoundedChannelOptions(256)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _subscribers.Add(channel.Writer);
            missed = lastEventId is { } last && last >= _forgottenUpTo && last <= _lastId
                ? _recent.Where(e => e.Id > last).ToList()
                : null;
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
