using ModelSwap.Gateway.Swapping;
using static ModelSwap.Gateway.Tests.Swapping.TestConfigs;

namespace ModelSwap.Gateway.Tests.Swapping;

public sealed class CoordinatorSwapTests
{
    [Fact]
    public async Task Swap_stops_the_previous_model_only_after_its_in_flight_request_ends()
    {
        await using var h = new CoordinatorHarness(Config(["a", "b"]));
        var leaseA = await h.Acquire("a").Within();
        var processA = await h.Factory.Process("a");

        var acquireB = h.Acquire("b");
        await h.Flush();
        Assert.False(acquireB.IsCompleted);
        Assert.Equal(0, processA.StopCount);
        Assert.Equal(0, h.Factory.CreatedCount("b"));
        Assert.Equal(ModelState.Ready, h.Status("a").State);
        Assert.Equal(1, h.Status("b").Queued);

        leaseA.Dispose();
        await using var leaseB = await acquireB.Within();
        Assert.Equal(1, processA.StopCount);
        Assert.True(processA.Disposed);
        Assert.Equal(["create a", "start a", "stop a", "create b", "start b"], h.Factory.Events);
        await h.Flush();
        Assert.Equal(ModelState.Stopped, h.Status("a").State);
        Assert.Equal(ModelState.Ready, h.Status("b").State);
    }

    [Fact]
    public async Task Requests_arriving_A_B_A_B_during_a_swap_are_served_A_A_B_B()
    {
        await using var h = new CoordinatorHarness(Config(["a", "b"]), autoStart: false);
        var a1 = h.Acquire("a");
        var b1 = h.Acquire("b");
        var a2 = h.Acquire("a");
        var b2 = h.Acquire("b");
        var processA = await h.Factory.Process("a");
        await h.Flush();
        Assert.Equal(2, h.Status("a").Queued);
        Assert.Equal(2, h.Status("b").Queued);

        processA.CompleteStart();
        var leasesA = await Task.WhenAll(a1, a2).Within();
        await h.Flush();
        Assert.False(b1.IsCompleted);
        Assert.False(b2.IsCompleted);
        Assert.Equal(0, processA.StopCount);

        foreach (var lease in leasesA)
        {
            lease.Dispose();
        }
        var processB = await h.Factory.Process("b");
        processB.CompleteStart();
        var leasesB = await Task.WhenAll(b1, b2).Within();
        Assert.All(leasesB, l => Assert.Equal("b", l.ModelId));
        // One start per model: grouped, not A B A B (which would start four times).
        Assert.Equal(["create a", "start a", "stop a", "create b", "start b"], h.Factory.Events);
    }

    [Fact]
    public async Task A_request_for_a_model_being_evicted_queues_behind_the_swap()
    {
        await using var h = new CoordinatorHarness(Config(["a", "b"]));
        var leaseA = await h.Acquire("a").Within();
        var acquireB = h.Acquire("b");
        var acquireA2 = h.Acquire("a");
        await h.Flush();
        // a is ready, but b waits to evict it: granting a again could keep b waiting forever.
        Assert.False(acquireA2.IsCompleted);

        leaseA.Dispose();
        var leaseB = await acquireB.Within();
        await h.Flush();
        Assert.False(acquireA2.IsCompleted);

        leaseB.Dispose();
        await using var leaseA2 = await acquireA2.Within();
        Assert.Equal(2, h.Factory.CreatedCount("a"));
        Assert.Equal(["create a", "start a", "stop a", "create b", "start b", "stop b", "create a", "start a"], h.Factory.Events);
    }

    [Fact]
    public async Task When_the_evicting_request_goes_away_the_ready_model_serves_again_without_a_restart()
    {
        await using var h = new CoordinatorHarness(Config(["a", "b"]));
        await using var leaseA = await h.Acquire("a").Within();
        using var cts = new CancellationTokenSource();
        var acquireB = h.Acquire("b", cts.Token);
        await h.Flush();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => acquireB.Within());

        await using var leaseA2 = await h.Acquire("a").Within();
        var processA = await h.Factory.Process("a");
        Assert.Equal(0, processA.StopCount);
        Assert.Equal(0, h.Factory.CreatedCount("b"));
    }

    [Fact]
    public async Task A_start_nobody_waits_for_any_more_is_cancelled_when_another_model_is_wanted()
    {
        await using var h = new CoordinatorHarness(Config(["a", "b"]), autoStart: false);
        using var cts = new CancellationTokenSource();
        var acquireA = h.Acquire("a", cts.Token);
        var processA = await h.Factory.Process("a");
        await processA.StartCalled.Task.Within();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => acquireA.Within());

        var acquireB = h.Acquire("b");
        var processB = await h.Factory.Process("b");
        Assert.True(processA.StartWasCancelled);
        Assert.Equal(1, processA.StopCount); // cleaned up before b started
        processB.CompleteStart();
        await using var leaseB = await acquireB.Within();
    }

    [Fact]
    public async Task Non_exclusive_groups_run_together()
    {
        var config = Config(["a", "b"],
            Group("g1", swap: true, exclusive: false, persistent: false, "a"),
            Group("g2", swap: true, exclusive: false, persistent: false, "b"));
        await using var h = new CoordinatorHarness(config);
        await using var leaseA = await h.Acquire("a").Within();
        await using var leaseB = await h.Acquire("b").Within();
        await h.Flush();
        Assert.Equal(ModelState.Ready, h.Status("a").State);
        Assert.Equal(ModelState.Ready, h.Status("b").State);
        Assert.Equal(0, (await h.Factory.Process("a")).StopCount);
    }

    [Fact]
    public async Task Swap_false_group_members_run_together()
    {
        var config = Config(["a", "b"], Group("g", swap: false, exclusive: true, persistent: false, "a", "b"));
        await using var h = new CoordinatorHarness(config);
        (await h.Acquire("a").Within()).Dispose();
        (await h.Acquire("b").Within()).Dispose();
        await h.Flush();
        Assert.Equal(ModelState.Ready, h.Status("a").State);
        Assert.Equal(ModelState.Ready, h.Status("b").State);
    }

    [Fact]
    public async Task Exclusive_group_evicts_non_persistent_groups_but_never_persistent_ones()
    {
        var config = Config(["big", "emb", "side"],
            Group("main", swap: true, exclusive: true, persistent: false, "big"),
            Group("embed", swap: false, exclusive: false, persistent: true, "emb"),
            Group("aux", swap: true, exclusive: false, persistent: false, "side"));
        await using var h = new CoordinatorHarness(config);
        (await h.Acquire("emb").Within()).Dispose();
        (await h.Acquire("side").Within()).Dispose();
        (await h.Acquire("big").Within()).Dispose();
        await h.Flush();
        Assert.Equal(ModelState.Ready, h.Status("big").State);
        Assert.Equal(ModelState.Ready, h.Status("emb").State);
        Assert.Equal(ModelState.Stopped, h.Status("side").State);
        Assert.Equal(0, (await h.Factory.Process("emb")).StopCount);
        Assert.Equal(1, (await h.Factory.Process("side")).StopCount);
    }

    [Fact]
    public async Task Persistent_model_is_never_evicted_by_a_chain_of_swaps()
    {
        var config = Config(["a", "b", "emb"], Group("embed", swap: true, exclusive: false, persistent: true, "emb"));
        await using var h = new CoordinatorHarness(config);
        (await h.Acquire("emb").Within()).Dispose();
        foreach (var model in new[] { "a", "b", "a", "b" })
        {
            (await h.Acquire(model).Within()).Dispose();
        }
        await h.Flush();
        Assert.Equal(1, h.Factory.CreatedCount("emb"));
        Assert.Equal(0, (await h.Factory.Process("emb")).StopCount);
        Assert.Equal(ModelState.Ready, h.Status("emb").State);
    }

    [Fact]
    public async Task Ready_model_outside_the_swap_is_served_while_the_swap_waits()
    {
        var config = Config(["a", "b", "emb"], Group("embed", swap: false, exclusive: false, persistent: true, "emb"));
        await using var h = new CoordinatorHarness(config);
        (await h.Acquire("emb").Within()).Dispose();
        var leaseA = await h.Acquire("a").Within();
        var acquireB = h.Acquire("b"); // waits for a's request to end
        await using (await h.Acquire("emb").Within())
        {
            Assert.False(acquireB.IsCompleted);
        }
        leaseA.Dispose();
        await using var leaseB = await acquireB.Within();
    }

    [Fact]
    public async Task Exclusive_model_outside_the_swap_waits_its_turn_instead_of_jumping_it()
    {
        // x is ready but would evict a (exclusive), so it must not be served ahead of b's swap.
        var config = Config(["a", "b", "x"],
            Group("free", swap: true, exclusive: false, persistent: false, "a", "b"),
            Group("solo", swap: true, exclusive: true, persistent: false, "x"));
        await using var h = new CoordinatorHarness(config);
        (await h.Acquire("x").Within()).Dispose();
        var leaseA = await h.Acquire("a").Within();
        var acquireB = h.Acquire("b");
        var acquireX = h.Acquire("x");
        await h.Flush();
        Assert.False(acquireX.IsCompleted);
        leaseA.Dispose();
        var leaseB = await acquireB.Within();
        leaseB.Dispose();
        await using var leaseX = await acquireX.Within();
        // x was already running, so it is served at once; its exclusivity still evicts b, as llama-swap does.
        await h.WaitForState("b", ModelState.Stopped);
        Assert.Equal(ModelState.Ready, h.Status("x").State);
    }
}
