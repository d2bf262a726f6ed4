using System.Diagnostics;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Processes;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Processes;

public sealed class ModelProcessStartTests : IAsyncLifetime
{
    private readonly ProcessTestKit _kit = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task Start_returns_once_healthy_with_the_server_in_its_own_session()
    {
        var model = ProcessTestKit.FakeModel("alpha");
        var process = _kit.Create(model);

        await process.StartAsync(CancellationToken.None);

        var pid = Assert.IsType<int>(process.ProcessId);
        Assert.True(ProcessTree.IsAlive(pid));
        using var health = await _kit.Http.GetAsync(new Uri(model.Proxy, "/health"));
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        var echo = await _kit.EchoAsync(model, []);
        Assert.Equal(pid, echo["pid"]!.GetValue<int>());
        var stat = ProcessTree.Read(pid)!.Value;
        if (OperatingSystem.IsLinux())
        {
            // setpriv and setsid exec in place: the server is our direct child and leads its session.
            Assert.Equal(Environment.ProcessId, stat.ParentPid);
            Assert.Equal(pid, stat.Session);
            Assert.Equal(pid, stat.ProcessGroup);
        }
        Assert.False(process.Exited.IsCompleted);
        Assert.Contains(process.Logs.Snapshot(), l => l.Contains("fake upstream alpha listening", StringComparison.Ordinal));
        Assert.Contains(_kit.UpstreamLogs.Snapshot(), l => l == "[alpha] fake upstream alpha listening");
    }

    [Fact]
    public async Task Probes_a_localhost_proxy_url_as_llama_swap_configs_write_it()
    {
        var model = ProcessTestKit.FakeModel("local");
        model = model with { Proxy = new Uri($"http://localhost:{model.Port}") };
        var process = _kit.Create(model);

        await process.StartAsync(CancellationToken.None);

        Assert.True(ProcessTree.IsAlive(process.ProcessId!.Value));
    }

    [Fact]
    public async Task A_start_cancelled_before_it_began_launches_nothing()
    {
        var process = _kit.Create(ProcessTestKit.FakeModel("precancelled"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => process.StartAsync(new CancellationToken(canceled: true)));

        Assert.Null(process.ProcessId);
        Assert.True(process.Exited.IsCompleted);
    }

    [Fact]
    public async Task Start_waits_for_the_ready_delay()
    {
        var delay = TimeSpan.FromMilliseconds(1500);
        var model = ProcessTestKit.FakeModel("slow", "--ready-delay", delay.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = _kit.Create(model);

        var watch = Stopwatch.StartNew();
        await process.StartAsync(CancellationToken.None);
        watch.Stop();

        // The fake counts its delay from its own start, which is after ours: a start that returned
        // earlier took a 503 for ready.
        Assert.True(watch.Elapsed >= delay, $"ready after {watch.Elapsed}, before the fake's {delay} delay");
        using var health = await _kit.Http.GetAsync(new Uri(model.Proxy, "/health"));
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Model_environment_reaches_the_child_on_top_of_ours()
    {
        var model = ProcessTestKit.FakeModel("env") with
        {
            Environment = [new("MODELSWAP_TEST_GREETING", "hello world"), new("MODELSWAP_TEST_EMPTY", "")],
        };
        var process = _kit.Create(model);
        await process.StartAsync(CancellationToken.None);

        var echo = await _kit.EchoAsync(model, new JsonObject { ["echo_env"] = new JsonArray("MODELSWAP_TEST_GREETING", "PATH", "MODELSWAP_TEST_UNSET") });

        var env = echo["env"]!;
        Assert.Equal("hello world", env["MODELSWAP_TEST_GREETING"]!.GetValue<string>());
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), env["PATH"]!.GetValue<string>());
        Assert.Null(env["MODELSWAP_TEST_UNSET"]);
    }

    [Fact]
    public async Task A_crash_while_starting_fails_at_once_with_exit_code_and_output()
    {
        // The health-check timeout is far beyond the test's hang guard: only noticing the crash ends the start in time.
        var model = ProcessTestKit.FakeModel("crashy", "--ready-delay", "600000", "--crash-after", "300") with
        {
            HealthCheckTimeout = TimeSpan.FromHours(1),
        };
        var process = _kit.Create(model);

        var error = await Assert.ThrowsAsync<ModelStartException>(() => process.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2)));

        Assert.False(error.TimedOut);
        Assert.Equal("crashy", error.ModelId);
        Assert.Contains("exited with code 70", error.Message, StringComparison.Ordinal);
        Assert.Contains("fake upstream crashy crashing as asked (--crash-after)", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.LastLogLines, l => l.Contains("crashing as asked", StringComparison.Ordinal));
        Assert.True(process.Exited.IsCompleted);
        Assert.Equal(70, process.ExitCode);
    }

    [Fact]
    public async Task Not_healthy_in_time_times_out_and_leaves_no_process()
    {
        var model = ProcessTestKit.FakeModel("never", "--ready-delay", "600000", "--spawn-child") with
        {
            // Long enough for the fake server to start, answer 503 and log its child even under heavy
            // load (it failed once at 3 s with the whole suite and stress-ng beside it).
            HealthCheckTimeout = TimeSpan.FromSeconds(20),
        };
        var process = _kit.Create(model);

        var error = await Assert.ThrowsAsync<ModelStartException>(() => process.StartAsync(CancellationToken.None));

        Assert.True(error.TimedOut);
        Assert.Contains("HTTP 503", error.Message, StringComparison.Ordinal);
        var pid = process.ProcessId!.Value;
        var child = ProcessTestKit.PidFromLogs(process, "fake upstream child pid");
        _kit.Track(child);
        Assert.True(process.Exited.IsCompleted);
        Assert.False(ProcessTree.IsAlive(pid));
        Assert.True(await ProcessTestKit.EventuallyAsync(() => !ProcessTree.IsAlive(child)), $"grandchild {child} survived");
        Assert.Empty(ProcessTree.Family(pid, pid));
    }

    [Fact]
    public async Task Cancelling_the_start_kills_the_process()
    {
        var model = ProcessTestKit.FakeModel("cancelled", "--ready-delay", "600000");
        var process = _kit.Create(model);
        using var cts = new CancellationTokenSource();
        var start = process.StartAsync(cts.Token);
        Assert.True(await ProcessTestKit.EventuallyAsync(() => process.Logs.Snapshot().Any(l => l.Contains("listening", StringComparison.Ordinal)), TimeSpan.FromMinutes(2)));

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
        Assert.True(process.Exited.IsCompleted);
        Assert.False(ProcessTree.IsAlive(process.ProcessId!.Value));
    }

    [Fact]
    public async Task Check_endpoint_none_is_ready_once_launched()
    {
        var model = ProcessTestKit.FakeModel("nocheck", "--ready-delay", "600000") with { CheckEndpoint = null };
        var process = _kit.Create(model);

        await process.StartAsync(CancellationToken.None);

        Assert.True(ProcessTree.IsAlive(process.ProcessId!.Value));
        Assert.False(process.Exited.IsCompleted);
    }

    [Fact]
    public async Task A_missing_program_fails_with_its_name()
    {
        var model = ProcessTestKit.FakeModel("missing") with { Command = ["/nonexistent/llama-server", "--port", "1"] };
        var process = _kit.Create(model);

        var error = await Assert.ThrowsAsync<ModelStartException>(() => process.StartAsync(CancellationToken.None));

        Assert.Contains("/nonexistent/llama-server", error.Message, StringComparison.Ordinal);
        Assert.Null(process.ProcessId);
        Assert.True(process.Exited.IsCompleted);
    }

    [Fact]
    public async Task A_process_starts_only_once()
    {
        var process = _kit.Create(ProcessTestKit.FakeModel("once"));
        await process.StartAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => process.StartAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Exited_completes_when_a_ready_server_crashes()
    {
        var model = ProcessTestKit.FakeModel("latecrash");
        var process = _kit.Create(model);
        await process.StartAsync(CancellationToken.None);
        Assert.False(process.Exited.IsCompleted);

        await _kit.CrashAsync(model, 71);
        await process.Exited.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(71, process.ExitCode);
        Assert.False(ProcessTree.IsAlive(process.ProcessId!.Value));
        // Exited waits for the output to be drained, so the last words are already there.
        Assert.Contains(_kit.UpstreamLogs.Snapshot(), l => l == "[latecrash] fake upstream latecrash exiting with code 71 as asked (/fake/exit)");
    }
}
