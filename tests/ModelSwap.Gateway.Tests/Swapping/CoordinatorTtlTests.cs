using ModelSwap.Gateway.Swapping;
using static ModelSwap.Gateway.Tests.Swapping.TestConfigs;

namespace ModelSwap.Gateway.Tests.Swapping;

public sealed class CoordinatorTtlTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task Idle_model_is_unloaded_when_its_ttl_has_passed_and_not_before()
    {
        await using var h = new CoordinatorHarness(Config([Model("a", ttl: Ttl)]));
        var lease = await h.Acquire("a").Within();
        var process = await h.Factory.Process("a");
        h.Time.Advance(Ttl * 2); // in use: no TTL runs
        await h.Flush();
        Assert.Equal(0, process.StopCount);

        lease.Dispose();
        await h.Flush();
        h.Time.Advance(Ttl - Tick);
        await h.Flush();
        Assert.Equal(ModelState.Ready, h.Status("a").State);
        Assert.Equal(0, process.StopCount);

        h.Time.Advance(Tick);
        await process.StopCalled.Task.Within();
        await h.WaitForState("a", ModelState.Stopped);
    }

    [Fact]
    public async Task Global_ttl_applies_to_models_without_their_own()
    {
        await using var h = new CoordinatorHarness(Config([Model("a")], globalTtl: Ttl));
        (await h.Acquire("a").Within()).Dispose();
        await h.Flush();
        h.Time.Advance(Ttl);
        await (await h.Factory.Process("a")).StopCalled.Task.Within();
    }

    [Fact]
    public async Task Own_ttl_of_zero_overrides_global_ttl_and_never_unloads()
    {
        await using var h = new CoordinatorHarness(Config([Model("a", ttl: TimeSpan.Zero)], globalTtl: Ttl));
        (await h.Acquire("a").Within()).Dispose();
        await h.Flush();
        h.Time.Advance(TimeSpan.FromDays(30));
        await h.Flush();
        Assert.Equal(ModelState.Ready, h.Status("a").State);
        Assert.Equal(0, (await h.Factory.Process("a")).StopCount);
    }

    [Fact]
    public async Task No_ttl_anywhere_never_unloads()
    {
        await using var h = new CoordinatorHarness(Config(["a"]));
        (await h.Acquire("a").Within()).Dispose();
        await h.Flush();
        h.Time.Advance(TimeSpan.FromDays(30));
        await h.Flush();
        Assert.Equal(ModelState.Ready, h.Status("a").State);
    }

    [Fact]
    public async Task A_new_request_restarts_the_idle_countdown()
    {
        await using var h = new CoordinatorHarness(Config([Model("a", ttl: Ttl)]));
        (await h.Acquire("a").Within()).Dispose();
        var process = await h.Factory.Process("a");
        await h.Flush();
        h.Time.Advance(Ttl - Tick);
        (await h.Acquire("a").Within()).Dispose();
        await h.Flush();
        h.Time.Advance(Ttl - Tick);
        await h.Flush();
        Assert.Equal(0, process.StopCount);
        Assert.Equal(ModelState.Ready, h.Status("a").State);
        h.Time.Advance(Tick);
        await process.StopCalled.Task.Within();
    }

    [Fact]
    public async Task Ttl_waits_for_the_last_of_several_requests()
    {
        await using var h = new CoordinatorHarness(Config([Model("a", ttl: Ttl)]));
        var first = await h.Acquire("a").Within();
        var second = await h.Acquire("a").Within();
        var process = await h.Factory.Process("a");
        first.Dispose();
        await h.Flush();
        h.Time.Advance(Ttl * 3);
        await h.Flush();
        Assert.Equal(0, process.StopCount);
        second.Dispose();
        await h.Flush();
        h.Time.Advance(Ttl);
        await process.StopCalled.Task.Within();
    }

    [Fact]
    public async Task Unloaded_model_starts_again_on_the_next_request()
    {
        await using var h = new CoordinatorHarness(Config([Model("a", ttl: Ttl)]));
        (await h.Acquire("a").Within()).Dispose();
        await h.Flush();
        h.Time.Advance(Ttl);
        await h.WaitForState("a", ModelState.Stopped);
        await using var lease = await h.Acquire("a").Within();
        Assert.Equal(2, h.Factory.CreatedCount("a"));
    }
}
