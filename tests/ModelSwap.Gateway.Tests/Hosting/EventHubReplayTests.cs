using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelSwap.Gateway.Hosting;

namespace ModelSwap.Gateway.Tests.Hosting;

/// <summary>The hub's bounded memory of published events, read by a client that reconnects.</summary>
public sealed class EventHubReplayTests
{
    private static EventHub NewHub(TimeProvider? time = null) => new(Options.Create(new JsonOptions()), time ?? TimeProvider.System);

    [Fact]
    public void A_reconnect_gets_every_event_after_its_last_id_in_order()
    {
        var hub = NewHub();
        hub.Publish("model", 1);
        var seen = hub.LastId;
        hub.NextId(); // a log line or snapshot for one subscriber: an id never replayed
        hub.Publish("model", 2);
        hub.Publish("download", 3);

        using var subscription = hub.Subscribe(seen, out var missed);

        Assert.NotNull(missed);
        Assert.Equal(["2", "3"], missed.Select(e => e.Data));
        Assert.True(missed[0].Id > seen && missed[1].Id > missed[0].Id);
        hub.Publish("model", 4);
        Assert.True(subscription.Reader.TryRead(out var live));
        Assert.Equal("4", live.Data);
    }

    [Fact]
    public void A_reconnect_after_the_hub_forgot_some_events_or_from_another_run_gets_none_so_it_takes_a_snapshot()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        var earlierRun = NewHub(time);
        for (var i = 0; i < 10; i++)
        {
            earlierRun.Publish("model", i);
        }
        time.Advance(TimeSpan.FromSeconds(1)); // the service restarted a second later
        var hub = NewHub(time);
        hub.Publish("model", 0);
        var oldest = hub.LastId;
        for (var i = 1; i <= EventHub.ReplayCapacity + 1; i++)
        {
            hub.Publish("model", i);
        }

        using var forgotten = hub.Subscribe(oldest, out var missedSinceOldest);
        using var recent = hub.Subscribe(oldest + 1, out var missedSinceSecond);
        using var fresh = hub.Subscribe(null, out var missedWithoutId);
        using var future = hub.Subscribe(hub.LastId + 1, out var missedFromTheFuture);
        using var earlier = hub.Subscribe(earlierRun.LastId, out var missedSinceEarlierRun);

        Assert.Null(missedSinceOldest); // the event right after it was forgotten
        Assert.NotNull(missedSinceSecond);
        Assert.Equal(EventHub.ReplayCapacity, missedSinceSecond.Count);
        Assert.Null(missedWithoutId);
        Assert.Null(missedFromTheFuture);
        Assert.Null(missedSinceEarlierRun);
    }
}
