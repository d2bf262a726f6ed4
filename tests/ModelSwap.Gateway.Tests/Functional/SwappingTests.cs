using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>Which model servers run, with real child processes.</summary>
public sealed class SwappingTests
{
    [Fact]
    public async Task Requesting_another_model_swaps_out_the_previous_one()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
              model-b:
                cmd: {GatewayTestHost.FakeCmd("b")}
            """);
        var pidA = await host.PidOfAsync("model-a");
        var pidB = await host.PidOfAsync("model-b");
        Assert.NotEqual(pidA, pidB);
        Assert.True(await ProcessProbe.WaitForExitAsync(pidA, TimeSpan.FromMinutes(2)), "model-a should have been stopped");
        Assert.Equal(["model-b"], await host.RunningAsync());
    }

    [Fact]
    public async Task Sixteen_concurrent_cold_requests_start_one_process()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a", "--ready-delay 300")}
            """);
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => host.ChatAsync("model-a")));
        var pids = answers.Select(a => a["fake"]!["pid"]!.GetValue<int>()).Distinct().ToArray();
        Assert.Single(pids);
    }

    [Fact]
    public async Task Non_exclusive_no_swap_group_members_run_together()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
              model-b:
                cmd: {GatewayTestHost.FakeCmd("b")}
            groups:
              together:
                swap: false
                exclusive: false
                members: [model-a, model-b]
            """);
        var pidA = await host.PidOfAsync("model-a");
        await host.PidOfAsync("model-b");
        Assert.Equal(["model-a", "model-b"], await host.RunningAsync());
        Assert.Equal(pidA, await host.PidOfAsync("model-a"));
    }

    [Fact]
    public async Task Exclusive_group_evicts_other_groups_but_never_a_persistent_one()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              chat-a:
                cmd: {GatewayTestHost.FakeCmd("chat-a")}
              side:
                cmd: {GatewayTestHost.FakeCmd("side")}
              embedder:
                cmd: {GatewayTestHost.FakeCmd("embedder")}
            groups:
              chats:
                exclusive: true
                members: [chat-a]
              others:
                exclusive: false
                members: [side]
              keep:
                persistent: true
                exclusive: false
                swap: false
                members: [embedder]
            """);
        var embedderPid = await host.PidOfAsync("embedder");
        var sidePid = await host.PidOfAsync("side");
        Assert.Equal(["embedder", "side"], await host.RunningAsync());

        await host.PidOfAsync("chat-a");
        Assert.True(await ProcessProbe.WaitForExitAsync(sidePid, TimeSpan.FromMinutes(2)), "exclusive group should evict 'side'");
        Assert.Equal(["chat-a", "embedder"], await host.RunningAsync());
        Assert.Equal(embedderPid, await host.PidOfAsync("embedder"));
    }

    [Fact]
    public async Task Unload_stops_everything_and_unload_of_one_model_stops_only_it()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
              model-b:
                cmd: {GatewayTestHost.FakeCmd("b")}
            groups:
              together:
                swap: false
                exclusive: false
                members: [model-a, model-b]
            """);
        var pidA = await host.PidOfAsync("model-a");
        var pidB = await host.PidOfAsync("model-b");
        using (var one = await host.Client.PostAsync("/api/models/unload/model-a", null))
        {
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        }
        Assert.True(await ProcessProbe.WaitForExitAsync(pidA, TimeSpan.FromMinutes(2)));
        Assert.Equal(["model-b"], await host.RunningAsync());
        using (var all = await host.Client.GetAsync("/unload"))
        {
            Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        }
        Assert.True(await ProcessProbe.WaitForExitAsync(pidB, TimeSpan.FromMinutes(2)));
        Assert.Empty(await host.RunningAsync());
    }

    [Fact]
    public async Task An_upstream_ignoring_sigterm_is_killed_after_the_unload_timeout()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              stubborn:
                cmd: {GatewayTestHost.FakeCmd("stubborn", "--ignore-sigterm")}
                unloadTimeout: 1
            """);
        var pid = await host.PidOfAsync("stubborn");
        using (var unload = await host.Client.PostAsync("/unload", null))
        {
            Assert.Equal(HttpStatusCode.OK, unload.StatusCode);
        }
        // /unload returns once the process is gone: SIGTERM was ignored, so SIGKILL must have ended it.
        Assert.False(ProcessProbe.IsAlive(pid), "the process ignoring SIGTERM should have been killed");
        Assert.Contains("ignoring SIGTERM", await host.Client.GetStringAsync("/logs"));
    }

    [Fact]
    public async Task A_crashing_upstream_fails_the_request_fast_with_its_last_output()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            healthCheckTimeout: 120
            models:
              crashy:
                cmd: {GatewayTestHost.FakeCmd("crashy", "--ready-delay 600000 --crash-after 300")}
            """);
        var started = DateTime.UtcNow;
        using var response = await host.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "crashy" });
        var error = await RoutingTests.AssertEnvelopeAsync(response, HttpStatusCode.BadGateway, "upstream_start_failed");
        // Correctness bound, not a benchmark: it must not wait for the 120 s health-check timeout.
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60));
        Assert.Contains("crashing as asked", error["message"]!.GetValue<string>());
        // The failed start's cleanup (making sure no process is left) finishes just after the answer.
        await WaitUntilAsync(async () => (await host.RunningAsync()).Count == 0);
    }

    [Fact]
    public async Task Concurrency_limit_answers_429_with_retry_after()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              limited:
                cmd: {GatewayTestHost.FakeCmd("limited")}
                concurrencyLimit: 1
            """);
        await host.ChatAsync("limited");
        var slow = host.ChatAsync("limited", new { fake_chunks = 2, fake_chunk_delay_ms = 1500, stream = false });
        // Wait until the slow request is in flight before sending the second one.
        await WaitUntilAsync(async () => (await host.Client.GetFromJsonAsync<JsonObject>("/running"))!["running"]!
            .AsArray().Any(r => r!["inFlight"]!.GetValue<int>() == 1));
        using var rejected = await host.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "limited" });
        await RoutingTests.AssertEnvelopeAsync(rejected, HttpStatusCode.TooManyRequests, "concurrency_limit");
        Assert.True(rejected.Headers.RetryAfter is not null);
        await slow;
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
