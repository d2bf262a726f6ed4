using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Tests.Processes;

public sealed class LogRingTests
{
    [Fact]
    public void Keeps_only_the_newest_lines()
    {
        var ring = new LogRing(3);
        foreach (var i in Enumerable.Range(1, 5))
        {
            ring.Append($"line {i}");
        }

        Assert.Equal(["line 3", "line 4", "line 5"], ring.Snapshot());
        Assert.Equal(["line 4", "line 5"], ring.Snapshot(2));
    }

    [Fact]
    public void Rejects_a_capacity_below_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogRing(0));
    }

    [Fact]
    public async Task Follow_yields_the_backlog_then_new_lines()
    {
        var ring = new LogRing(10);
        ring.Append("old");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var seen = new List<string>();
        await using var follower = ring.FollowAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await follower.MoveNextAsync());
        seen.Add(follower.Current);
        ring.Append("new 1");
        ring.Append("new 2");
        Assert.True(await follower.MoveNextAsync());
        seen.Add(follower.Current);
        Assert.True(await follower.MoveNextAsync());
        seen.Add(follower.Current);

        Assert.Equal(["old", "new 1", "new 2"], seen);
    }

    [Fact]
    public async Task A_follower_that_does_not_read_never_blocks_the_writer()
    {
        var ring = new LogRing(5);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var follower = ring.FollowAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        ring.Append("first");
        Assert.True(await follower.MoveNextAsync());

        // Far more lines than the follower's buffer: Append must return every time.
        foreach (var i in Enumerable.Range(0, 10_000))
        {
            ring.Append($"line {i}");
        }

        var caughtUp = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await follower.MoveNextAsync());
            caughtUp.Add(follower.Current);
        }
        Assert.Equal(Enumerable.Range(9_995, 5).Select(i => $"line {i}"), caughtUp);
    }

    [Fact]
    public void Upstream_logs_prefix_lines_with_the_model_id()
    {
        var logs = new UpstreamLogs(2);
        logs.Append("qwen", "loading");
        logs.Append("llama", "ready");
        logs.Append("qwen", "listening");

        Assert.Equal(["[llama] ready", "[qwen] listening"], logs.Snapshot());
    }
}
