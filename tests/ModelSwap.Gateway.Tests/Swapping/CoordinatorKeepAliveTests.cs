using ModelSwap.Gateway.Swapping;
using static ModelSwap.Gateway.Tests.Swapping.TestConfigs;

namespace ModelSwap.Gateway.Tests.Swapping;

/// <summary>A client's keep-alive (Ollama's keep_alive) overrides the model's TTL for the run it was set on.</summary>
public sealed class CoordinatorKeepAliveTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task Keep_alive_zero_stops_the_model_once_its_request_ends()
    {
        await using var h = new CoordinatorHarness(Config([Model("a", ttl: Ttl)]));
        var lease = await h.Acquire("a").Within();
        h.Coordinator.SetKeepAlive("a", TimeSpan.Zero);
        await h.Flush();
        Assert.Equal(ModelState.Ready, h.Status("a").State); // still answering

        lease.Dispose();
        await (await h.Factory.Process("a")).StopCalled.Task.Within();
        await h.WaitForState("a", ModelState.Stopped);
    }

    [Fact]
    public async Task Keep_alive_zero_waits_for_the_other_requests_in_flight()
    {
        await using var h = new CoordinatorHarness(Config([Model("a", ttl: Ttl)]));
        var first = await h.Acquire("a").Within();
        var second = await h.Acquire("a").Within();
        h.Coordinator.SetKeepAlive("a", TimeSpan.Zero);
        first.Dispose();
        await h.Flush();
        var process = await h.Factory.Process("a");
        Assert.Equal(0, process.StopCount);

        second.Dispose();
        await process.StopCalled.Task.Within();
    }

    [Fact]
    public async Task A_keep_alive_value_replaces_the_ttl_counting_from_the_end_of_the_request()
    {
        var keepAlive = TimeSpan.FromSeconds(5);
        await using var h = new CoordinatorHarness(Config([Model("a", ttl: Ttl)]));
        var lease = await h.Acquire("a").Within();
        h.Coordinator.SetKeepAlive("a", keepAlive);
        h.Time.Advance(keepAlive * 3); // busy: no countdown
        lease.Dispose();
        await h.Flush();
        Assert.Equal(keepAlive, h.Status("a").IdleTimeout);
        Assert.Equal(h.Time.GetUtcNow() + keepAlive, h.Status("a").IdleUntil);

        h.Time.Advance(keepAlive - Tick);
        await h.Flush();
        Assert.Equal(0, (await h.Factory.Process("a")).StopCount);
        h.Time.Advance(Tick);
        await (await h.Factory.Process("a")).StopCalled.Task.Within();
    }

    [Fact]
    public async Task A_negative_keep_alive_keeps_the_model_loaded_past_its_ttl()
    {
        await using var h = new CoordinatorHarness(Config([Model("a", ttl: Ttl)]));
        var lease = await h.Acquire("a").Within();
        h.Coordinator.SetKeepAlive("a", TimeSpan.FromSeconds(-1));
        lease.Dispose();
        await h.Flush();
        Assert.Null(h.Status("a").IdleTimeout);
        h.Time.Advance(Ttl * 100);
        await h.Flush();
        Assert.Equal(ModelState.Ready, h.Status("a").State);
    }

    [Fact]
    public async Task The_keep_alive_ends_with_the_run_and_the_next_run_has_the_configured_ttl()
    {
        await using var h = new CoordinatorHarness(Config([Model("a", ttl: Ttl)]));
        var lease = await h.Acquire("a").Within();
        h.Coordinator.SetKeepAlive("a", TimeSpan.FromSeconds(-1));
        lease.Dispose();
        await h.Coordinator.UnloadAsync("a", CancellationToken.None).Within();

        (await h.Acquire("a").Within()).Dispose();
        await h.Flush();
        Assert.Equal(Ttl, h.Status("a").IdleTimeout);
    }

    [Fact]
    public async Task Keep_alive_for_a_stopped_model_is_ignored()
    {
        await using var h = new CoordinatorHarness(Config([Model("a", ttl: Ttl)]));
        h.Coordinator.SetKeepAlive("a", TimeSpan.Zero);
        h.Coordinator.SetKeepAlive("unknown", TimeSpan.Zero);
        (await h.Acquire("a").Within()).Dispose();
        await h.Flush();
        Assert.Equal(ModelState.Ready, h.Status("a").State);
        Assert.Equal(Ttl, h.Status("a").IdleTimeout);
    }
}
