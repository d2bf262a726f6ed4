using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Tests.Swapping;

/// <summary>Load progress a starting process reports reaches the status and its own event, never the state events.</summary>
public sealed class CoordinatorProgressTests
{
    [Fact]
    public async Task Progress_of_a_starting_model_is_published_and_ready_means_all_of_it()
    {
        await using var h = new CoordinatorHarness(TestConfigs.Config(["a"]), autoStart: false);
        var states = new List<ModelStatus>();
        var progress = new System.Collections.Concurrent.ConcurrentQueue<ModelStatus>();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Coordinator.StateChanged += s =>
        {
            lock (states)
            {
                states.Add(s);
            }
            if (s.State == ModelState.Ready)
            {
                ready.TrySetResult();
            }
        };
        h.Coordinator.LoadProgressChanged += s =>
        {
            progress.Enqueue(s);
            if (s.LoadProgress == 0.4)
            {
                seen.TrySetResult();
            }
        };

        var lease = h.Acquire("a");
        var process = await h.Factory.Process("a").WaitAsync(CoordinatorHarness.HangGuard);
        await process.StartCalled.Task.WaitAsync(CoordinatorHarness.HangGuard);
        await h.Flush();
        Assert.Null(h.Status("a").LoadProgress); // nothing reported yet

        process.ReportProgress(0.4);
        await seen.Task.WaitAsync(CoordinatorHarness.HangGuard);
        Assert.Equal(ModelState.Starting, h.Status("a").State);
        Assert.Equal(0.4, h.Status("a").LoadProgress);
        Assert.All(progress, s => Assert.Equal(ModelState.Starting, s.State));

        process.CompleteStart();
        (await lease.WaitAsync(CoordinatorHarness.HangGuard)).Dispose();
        await ready.Task.WaitAsync(CoordinatorHarness.HangGuard);
        Assert.Equal(1.0, h.Status("a").LoadProgress);
        lock (states)
        {
            // Progress raised no state event: Starting and Ready, once each.
            Assert.Equal([ModelState.Starting, ModelState.Ready], states.Select(s => s.State).ToArray());
        }
    }
}
