using System.Collections.Concurrent;
using ModelSwap.Gateway.Swapping;
using static ModelSwap.Gateway.Tests.Swapping.TestConfigs;

namespace ModelSwap.Gateway.Tests.Swapping;

public sealed class CoordinatorLifecycleTests
{
    // Two models that may run together, so reload and unload tests see both at once.
    private static readonly Core.Configuration.GroupConfig Together =
        Group("together", swap: false, exclusive: false, persistent: false, "a", "b");

    [Fact]
    public async Task Reload_keeps_unchanged_models_running_and_restarts_changed_ones_after_their_requests()
    {
        await using var h = new CoordinatorHarness(Config([Model("a", 6000), Model("b", 6001)], [Together]));
        (await h.Acquire("a").Within()).Dispose();
        var leaseB = await h.Acquire("b").Within();
        var processA = await h.Factory.Process("a");
        var processB = await h.Factory.Process("b");

        var next = Config([Model("a", 6000) with { Name = "renamed" }, Model("b", 6001, extraArg: "--ctx-size=8192")], [Together]);
        var diff = await h.Coordinator.ApplyConfigAsync(next, CancellationToken.None).Within();
        Assert.Equal(["a"], diff.Unchanged.ToArray());
        Assert.Equal(["b"], diff.Changed.ToArray());
        Assert.Empty(diff.Added);
        Assert.Empty(diff.Removed);
        Assert.Same(next, h.Coordinator.Config);

        var acquireB = h.Acquire("b");
        await h.Flush();
        Assert.Equal(0, processB.StopCount); // its request is still running
        Assert.False(acquireB.IsCompleted);  // and the old definition takes no new ones

        leaseB.Dispose();
        await using var newLeaseB = await acquireB.Within();
        Assert.Equal(1, processB.StopCount);
        var restartedB = await h.Factory.Process("b", 1);
        Assert.Contains("--ctx-size=8192", restartedB.Model.Command);
        Assert.Same(next.Models["b"], newLeaseB.Model);

        await using var leaseA = await h.Acquire("a").Within();
        Assert.Equal(1, h.Factory.CreatedCount("a"));
        Assert.Equal(0, processA.StopCount);
        Assert.Equal(processA.ProcessId, leaseA.ProcessId);
        Assert.Equal("renamed", leaseA.Model.Name); // the new definition, on the same process
    }

    [Fact]
    public async Task Reload_stops_removed_models_and_fails_their_queued_requests()
    {
        await using var h = new CoordinatorHarness(Config([Model("a", 6000), Model("b", 6001)]), autoStart: false);
        var acquireA = h.Acquire("a");
        var processA = await h.Factory.Process("a");
        var acquireB = h.Acquire("b"); // queued behind a
        processA.CompleteStart();
        var leaseA = await acquireA.Within();

        var diff = await h.Coordinator.ApplyConfigAsync(Config([Model("a", 6000), Model("c", 6002)]), CancellationToken.None).Within();
        Assert.Equal(["b"], diff.Removed.ToArray());
        Assert.Equal(["c"], diff.Added.ToArray());
        var error = await Assert.ThrowsAsync<UnknownModelException>(() => acquireB.Within());
        Assert.Contains("removed", error.Message);
        await Assert.ThrowsAsync<UnknownModelException>(() => h.Acquire("b").Within());
        await h.Flush();
        Assert.DoesNotContain(h.Coordinator.GetStatus(), s => s.ModelId == "b");
        Assert.Contains(h.Coordinator.GetStatus(), s => s.ModelId == "c" && s.State == ModelState.Stopped);

        // A running model that a reload removes stops once its request ends, then leaves the status.
        await h.Coordinator.ApplyConfigAsync(Config([Model("c", 6002)]), CancellationToken.None).Within();
        await h.Flush();
        Assert.Equal(0, processA.StopCount);
        leaseA.Dispose();
        await processA.StopCalled.Task.Within();
        await h.Flush();
        Assert.DoesNotContain(h.Coordinator.GetStatus(), s => s.ModelId == "a");
    }

    [Fact]
    public async Task Unload_of_one_model_waits_for_its_requests_and_leaves_the_others()
    {
        await using var h = new CoordinatorHarness(Config(["a", "b"], Together));
        var leaseA = await h.Acquire("a").Within();
        (await h.Acquire("b").Within()).Dispose();

        var unload = h.Coordinator.UnloadAsync("a", CancellationToken.None);
        var acquireA = h.Acquire("a"); // arrives during the unload: served by a fresh start afterwards
        await h.Flush();
        Assert.False(unload.IsCompleted);
        Assert.False(acquireA.IsCompleted);
        leaseA.Dispose();
        await unload.Within();
        Assert.Equal(1, (await h.Factory.Process("a")).StopCount);
        await h.Flush();
        Assert.Equal(ModelState.Ready, h.Status("b").State);
        await using var again = await acquireA.Within();
        Assert.Equal(2, h.Factory.CreatedCount("a"));
    }

    [Fact]
    public async Task Unload_all_stops_every_running_model()
    {
        await using var h = new CoordinatorHarness(Config(["a", "b", "c"], Together));
        (await h.Acquire("a").Within()).Dispose();
        (await h.Acquire("b").Within()).Dispose();
        await h.Coordinator.UnloadAsync(null, CancellationToken.None).Within();
        await h.Flush();
        Assert.All(h.Coordinator.GetStatus(), s => Assert.Equal(ModelState.Stopped, s.State));
        Assert.Equal(1, (await h.Factory.Process("a")).StopCount);
        Assert.Equal(1, (await h.Factory.Process("b")).StopCount);
        await h.Coordinator.UnloadAsync(null, CancellationToken.None).Within(); // nothing running: at once
        await Assert.ThrowsAsync<UnknownModelException>(() => h.Coordinator.UnloadAsync("nope", CancellationToken.None).Within());
    }

    [Fact]
    public async Task Stop_all_fails_queued_requests_stops_everything_and_refuses_new_ones()
    {
        await using var h = new CoordinatorHarness(Config(["a", "b"]), autoStart: false);
        var acquireA = h.Acquire("a");
        var processA = await h.Factory.Process("a");
        processA.CompleteStart();
        await using var leaseA = await acquireA.Within();
        var queuedB = h.Acquire("b");
        await h.Flush();

        await h.Coordinator.StopAllAsync(CancellationToken.None).Within();
        await Assert.ThrowsAsync<CoordinatorStoppedException>(() => queuedB.Within());
        Assert.Equal(1, processA.StopCount); // shutdown does not wait for in-flight requests
        await Assert.ThrowsAsync<CoordinatorStoppedException>(() => h.Acquire("a").Within());
        await h.Coordinator.DisposeAsync();
        await Assert.ThrowsAsync<CoordinatorStoppedException>(() => h.Acquire("a").Within());
    }

    [Fact]
    public async Task Dispose_cancels_a_start_in_progress_and_stops_its_process()
    {
        var h = new CoordinatorHarness(Config(["a"]), autoStart: false);
        var acquire = h.Acquire("a");
        var process = await h.Factory.Process("a");
        await process.StartCalled.Task.Within();
        await h.Coordinator.DisposeAsync().AsTask().Within();
        await Assert.ThrowsAsync<CoordinatorStoppedException>(() => acquire.Within());
        Assert.True(process.StartWasCancelled);
        Assert.Equal(1, process.StopCount);
        Assert.True(process.Disposed);
    }

    [Fact]
    public async Task Preload_starts_the_listed_models_in_order()
    {
        var config = Config(["a", "b", "emb"], Group("embed", swap: true, exclusive: false, persistent: true, "emb"))
            with { Preload = ["emb", "a"] };
        await using var h = new CoordinatorHarness(config);
        await h.Coordinator.PreloadAsync(CancellationToken.None).Within();
        await h.Flush();
        Assert.Equal(ModelState.Ready, h.Status("emb").State);
        Assert.Equal(ModelState.Ready, h.Status("a").State);
        Assert.Equal(ModelState.Stopped, h.Status("b").State);
        Assert.Equal(["create emb", "start emb", "create a", "start a"], h.Factory.Events);
    }

    [Fact]
    public async Task Preload_skips_a_model_that_fails_and_goes_on()
    {
        var config = Config(["a", "b"], Together) with { Preload = ["a", "b"] };
        await using var h = new CoordinatorHarness(config);
        h.Factory.CreateError = m => m.Id == "a" ? new InvalidOperationException("broken") : null;
        await h.Coordinator.PreloadAsync(CancellationToken.None).Within();
        await h.Flush();
        Assert.Equal(ModelState.Stopped, h.Status("a").State);
        Assert.Equal(ModelState.Ready, h.Status("b").State);
    }

    [Fact]
    public async Task State_changes_are_raised_in_order()
    {
        await using var h = new CoordinatorHarness(Config(["a"]));
        var seen = new ConcurrentQueue<ModelState>();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Coordinator.StateChanged += s =>
        {
            if (s.ModelId == "a")
            {
                seen.Enqueue(s.State);
                if (s.State == ModelState.Stopped)
                {
                    stopped.TrySetResult();
                }
            }
        };
        (await h.Acquire("a").Within()).Dispose();
        await h.Coordinator.UnloadAsync("a", CancellationToken.None).Within();
        await stopped.Task.Within();
        Assert.Equal([ModelState.Starting, ModelState.Ready, ModelState.Stopping, ModelState.Stopped], seen);
    }

    [Fact]
    public async Task A_throwing_event_handler_does_not_disturb_the_coordinator()
    {
        await using var h = new CoordinatorHarness(Config(["a"]));
        h.Coordinator.StateChanged += _ => throw new InvalidOperationException("handler bug");
        await using var lease = await h.Acquire("a").Within();
        await h.WaitForState("a", ModelState.Ready);
    }
}
