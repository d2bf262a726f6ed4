using System.Text.Json;
using ModelSwap.Gateway.Activity;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Dashboard.Tests.Components;

/// <summary>
/// What a prerendered page hands to its circuit goes through JSON (PersistentComponentState, web defaults):
/// each value must come back whole, or the circuit's first render would fall back to "loading".
/// </summary>
public sealed class PrerenderedStateTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly DateTimeOffset Now = new(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Models_come_back_whole() => AssertRoundTrip(ModelSamples.Two.ToList());

    [Fact]
    public void The_activity_page_comes_back_whole()
    {
        AssertRoundTrip(new List<InFlightRequestView> { new("req-7", "demo:chat-tiny", "127.0.0.1:4000", "curl/8", "POST /v1/chat/completions", "forwarding", 42, Now, 3.5, 17) });
        AssertRoundTrip(new ActivityPage([new ActivityEntry(2, Now, "demo:chat-tiny", "POST /v1/chat/completions", "127.0.0.1:5000", null, 200, "completed", 1234, 210, 12, 40, 33.3, true)], 1));
        AssertRoundTrip(new ActivitySummary(Now.AddMinutes(-59), Now, 60,
            [new ModelActivitySeries("demo:chat-tiny", 2, 80, [new ActivityBucket(Now, 2, 210, 33.3), new ActivityBucket(Now.AddMinutes(1), 0, null, null)])]));
    }

    private static void AssertRoundTrip<T>(T value)
    {
        var json = JsonSerializer.Serialize(value, Web);
        var back = JsonSerializer.Deserialize<T>(json, Web);
        Assert.Equal(json, JsonSerializer.Serialize(back, Web));
    }
}
