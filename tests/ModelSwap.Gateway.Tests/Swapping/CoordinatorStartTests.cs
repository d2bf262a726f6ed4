using ModelSwap.Gateway.Processes;
using ModelSwap.Gateway.Swapping;
using static ModelSwap.Gateway.Tests.Swapping.TestConfigs;

namespace ModelSwap.Gateway.Tests.Swapping;

public sealed class CoordinatorStartTests
{
    [Fact]
    public async Task Cold_start_waits_for_readiness_then_grants_a_lease_on_the_process()
    {
        await using var h = new CoordinatorHarness(Config(["a"]), autoStart: false);
        var acquire = h.Acquire("a");
        var process = await h.Factory.Process("a");
        await process.StartCalled.Task.Within();
        await h.Flush();
        Assert.False(acquire.IsCompleted);
        Assert.Equal(ModelState.Starting, h.Status("a").State);
        Assert.Equal(1, h.Status("a").Queued);

        process.CompleteStart();
        await using var lease = await acquire.Within();
        Assert.Equal("a", lease.ModelId);
        Assert.Equal(new Uri("http://127.0.0.1:6000"), lease.Proxy);
        Assert.Equal(process.ProcessId, lease.ProcessId);
        await h.Flush();
        var status = h.Status("a");
        Assert.Equal(ModelState.Ready, status.State);
        Assert.Equal(1, status.InFlight);
        Assert.Equal(0, status.Queued);
        Assert.Equal(process.ProcessId, status.Pid);
        Assert.Equal(h.Time.GetUtcNow(), status.ReadySince);
    }

    [Fact]
    public async Task Warm_requests_reuse_the_running_process()
    {
        await using var h = new CoordinatorHarness(Config(["a"]));
        (await h.Acquire("a").Within()).Dispose();
        await using var second = await h.Acquire("a").Within();
        Assert.Equal(1, h.Factory.CreatedCount("a"));
    }

    [Fact]
    public async Task Sixteen_concurrent_cold_requests_start_the_model_once()
    {
        await using var h = new CoordinatorHarness(Config(["a"]), autoStart: false);
        var acquires = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Task.FromResult(h.Acquire("a"))))).Within();
        var process = await h.Factory.Process("a");
        await h.Flush();
        Assert.Equal(16, h.Status("a").Queued);
        process.CompleteStart();
        var leases = await Task.WhenAll(acquires).Within();
        Assert.Equal(1, h.Factory.TotalCreated);
        Assert.Single(h.Factory.Events, e => e == "start a");
        await h.Flush();
        Assert.Equal(16, h.Status("a").InFlight);
        foreach (var lease in leases)
        {
            lease.Dispose();
        }
        await h.Flush();
        Assert.Equal(0, h.Status("a").InFlight);
    }

    [Fact]
    public async Task Disposing_a_lease_twice_releases_it_once()
    {
        await using var h = new CoordinatorHarness(Config(["a"]));
        var first = await h.Acquire("a").Within();
        var second = await h.Acquire("a").Within();
        first.Dispose();
        await first.DisposeAsync();
        first.Dispose();
        await h.Flush();
        Assert.Equal(1, h.Status("a").InFlight);
        second.Dispose();
        await h.Flush();
        Assert.Equal(0, h.Status("a").InFlight);
    }

    [Fact]
    public async Task Unknown_model_is_refused()
    {
        await using var h = new CoordinatorHarness(Config(["a"]));
        var error = await Assert.ThrowsAsync<UnknownModelException>(() => h.Acquire("nope").Within());
        Assert.Equal("nope", error.ModelId);
        Assert.Contains("nope", error.Message);
        Assert.Equal(0, h.Factory.TotalCreated);
    }

    [Fact]
    public async Task Start_failure_reaches_every_waiter_and_the_next_request_starts_again()
    {
        await using var h = new CoordinatorHarness(Config(["a"]), autoStart: false);
        var waiters = new[] { h.Acquire("a"), h.Acquire("a"), h.Acquire("a") };
        var first = await h.Factory.Process("a");
        await h.Flush();
        first.FailStart("port in use");
        var errors = new List<ModelStartException>();
        foreach (var waiter in waiters)
        {
            errors.Add(await Assert.ThrowsAsync<ModelStartException>(() => waiter.Within()));
        }
        Assert.All(errors, e => Assert.Equal("port in use", e.Message));
        Assert.All(errors, e => Assert.Equal(["fake: port in use"], e.LastLogLines));
        await h.WaitForState("a", ModelState.Stopped);

        var retry = h.Acquire("a");
        var second = await h.Factory.Process("a", 1);
        second.CompleteStart();
        await using var lease = await retry.Within();
        Assert.Equal(second.ProcessId, lease.ProcessId);
        Assert.Equal(2, h.Factory.CreatedCount("a"));
    }

    [Fact]
    public async Task A_factory_that_throws_fails_the_waiters_with_a_start_error()
    {
        await using var h = new CoordinatorHarness(Config(["a", "b"]));
        h.Factory.CreateError = m => m.Id == "a" ? new InvalidOperationException("no such binary") : null;
        var error = await Assert.ThrowsAsync<ModelStartException>(() => h.Acquire("a").Within());
        Assert.Equal("a", error.ModelId);
        Assert.Contains("no such binary", error.Message);
        await h.Flush();
        Assert.Equal(ModelState.Stopped, h.Status("a").State);
        await using var other = await h.Acquire("b").Within(); // the queue moved on
    }

    [Fact]
    public async Task Crashed_process_is_marked_stopped_and_the_next_request_restarts_it()
    {
        await using var h = new CoordinatorHarness(Config(["a"]));
        var heldAcrossCrash = await h.Acquire("a").Within();
        var first = await h.Factory.Process("a");
        await h.WaitForState("a", ModelState.Ready);

        first.Crash();
        await h.WaitForState("a", ModelState.Stopped);
        Assert.Null(h.Status("a").Pid);
        Assert.Equal(0, h.Status("a").InFlight);

        await using var lease = await h.Acquire("a").Within();
        var second = await h.Factory.Process("a", 1);
        Assert.Equal(second.ProcessId, lease.ProcessId);
        // The lease on the dead process is counted against its own run, never the new one.
        heldAcrossCrash.Dispose();
        await h.Flush();
        Assert.Equal(1, h.Status("a").InFlight);
        Assert.Equal(ModelState.Ready, h.Status("a").State);
    }

    [Fact]
    public async Task Concurrency_limit_refuses_the_request_that_would_exceed_it()
    {
        var config = Config([Model("a", concurrencyLimit: 2)]);
        await using var h = new CoordinatorHarness(config, autoStart: false);
        var one = h.Acquire("a");
        var two = h.Acquire("a");
        var error = await Assert.ThrowsAsync<ConcurrencyLimitExceededException>(() => h.Acquire("a").Within());
        Assert.Equal(2, error.Limit);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);

        (await h.Factory.Process("a")).CompleteStart();
        var leaseOne = await one.Within();
        await using var leaseTwo = await two.Within();
        await Assert.ThrowsAsync<ConcurrencyLimitExceededException>(() => h.Acquire("a").Within());
        leaseOne.Dispose();
        await using var three = await h.Acquire("a").Within();
    }

    [Fact]
    public async Task Zero_concurrency_limit_means_unlimited()
    {
        await using var h = new CoordinatorHarness(Config([Model("a", concurrencyLimit: 0)]));
        var leases = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => h.Acquire("a"))).Within();
        Assert.Equal(50, leases.Length);
    }

    [Fact]
    public async Task Cancelled_waiter_leaves_the_queue_and_the_others_are_still_served()
    {
        await using var h = new CoordinatorHarness(Config(["a"]), autoStart: false);
        using var cts = new CancellationTokenSource();
        var cancelled = h.Acquire("a", cts.Token);
        var kept = h.Acquire("a");
        var process = await h.Factory.Process("a");
        await h.Flush();
        Assert.Equal(2, h.Status("a").Queued);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Within());
        await h.Flush();
        Assert.Equal(1, h.Status("a").Queued);

        process.CompleteStart();
        await using var lease = await kept.Within();
        await h.Flush();
        Assert.Equal(1, h.Status("a").InFlight);
    }

    [Fact]
    public async Task Already_cancelled_token_fails_at_once()
    {
        await using var h = new CoordinatorHarness(Config(["a"]));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Acquire("a", new CancellationToken(true)).Within());
        await h.Flush();
        Assert.Equal(0, h.Factory.TotalCreated);
    }
}
