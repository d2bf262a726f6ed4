using ModelSwap.Gateway.Swapping;
using static ModelSwap.Gateway.Tests.Swapping.TestConfigs;

namespace ModelSwap.Gateway.Tests.Swapping;

/// <summary>
/// Many concurrent clients, random models, random cancellations: whatever the interleaving, the
/// invariants must hold. Timing varies run to run; the assertions do not depend on it.
/// </summary>
public sealed class CoordinatorStressTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Concurrent_clients_never_see_two_swapped_models_alive_or_a_process_stopped_under_a_lease(int seed)
    {
        ThreadPool.SetMinThreads(64, 64);
        string[] models = ["a", "b", "c", "d"];
        await using var h = new CoordinatorHarness(Config(models));
        var granted = 0;
        var cancelled = 0;
        var violations = new List<string>();

        async Task Client(int client)
        {
            var random = new Random(seed * 1000 + client);
            for (var i = 0; i < 40; i++)
            {
                var model = models[random.Next(models.Length)];
                using var cts = new CancellationTokenSource();
                var acquire = h.Acquire(model, cts.Token);
                if (random.Next(5) == 0)
                {
                    await cts.CancelAsync();
                }
                ModelLease lease;
                try
                {
                    lease = await acquire.Within();
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                    continue;
                }
                Interlocked.Increment(ref granted);
                var process = await h.Factory.Process(model, h.Factory.CreatedCount(model) - 1);
                var pid = lease.ProcessId;
                for (var y = random.Next(4); y > 0; y--)
                {
                    await Task.Yield();
                }
                // The newest process for the model is the one leased, and nothing stopped it meanwhile.
                lock (violations)
                {
                    if (process.ProcessId != pid)
                    {
                        violations.Add($"{model}: lease on pid {pid} but newest process is {process.ProcessId}");
                    }
                    else if (process.StopCount != 0)
                    {
                        violations.Add($"{model}: pid {pid} stopped while leased");
                    }
                }
                lease.Dispose();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(c => Task.Run(() => Client(c)))).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(violations);
        Assert.Equal(1, h.Factory.MaxAlive); // ungrouped models swap: never two alive at once
        Assert.Equal(8 * 40, granted + cancelled);
        Assert.True(granted > 0);
        await h.Flush();
        Assert.All(h.Coordinator.GetStatus(), s => Assert.Equal(0, s.InFlight));
        Assert.All(h.Coordinator.GetStatus(), s => Assert.Equal(0, s.Queued));
    }
}
