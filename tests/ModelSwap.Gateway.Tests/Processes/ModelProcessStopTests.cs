using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Tests.Processes;

public sealed class ModelProcessStopTests : IAsyncLifetime
{
    private const int SigKillExitCode = 128 + PosixNative.SigKill;
    private readonly ProcessTestKit _kit = new();
    private readonly string _temp = Directory.CreateTempSubdirectory("modelswap-stop-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _kit.DisposeAsync();
        Directory.Delete(_temp, recursive: true);
    }

    [Fact]
    public async Task Stop_sends_sigterm_and_the_server_exits_gracefully()
    {
        var process = _kit.Create(ProcessTestKit.FakeModel("graceful"));
        await process.StartAsync(CancellationToken.None);
        var pid = process.ProcessId!.Value;

        await process.StopAsync(CancellationToken.None);

        Assert.True(process.Exited.IsCompleted);
        // ASP.NET Core exits 0 after a SIGTERM shutdown; the SIGKILL fallback would give 137.
        Assert.Equal(0, process.ExitCode);
        Assert.False(ProcessTree.IsAlive(pid));
    }

    [Fact]
    public async Task A_server_ignoring_sigterm_is_killed_after_the_unload_timeout()
    {
        var model = ProcessTestKit.FakeModel("stubborn", "--ignore-sigterm") with { UnloadTimeout = TimeSpan.FromMilliseconds(500) };
        var process = _kit.Create(model);
        await process.StartAsync(CancellationToken.None);
        var pid = process.ProcessId!.Value;

        await process.StopAsync(CancellationToken.None);

        Assert.Equal(SigKillExitCode, process.ExitCode);
        Assert.False(ProcessTree.IsAlive(pid));
        Assert.True(await ProcessTestKit.EventuallyAsync(() => process.Logs.Snapshot().Contains("fake upstream ignoring SIGTERM")),
            "the SIGTERM was never delivered");
    }

    [Fact]
    public async Task Stop_kills_a_grandchild_in_the_servers_group()
    {
        var process = _kit.Create(ProcessTestKit.FakeModel("parent", "--spawn-child"));
        await process.StartAsync(CancellationToken.None);
        var child = ProcessTestKit.PidFromLogs(process, "fake upstream child pid");
        _kit.Track(child);
        Assert.True(ProcessTree.IsAlive(child));
        Assert.Equal(process.ProcessId, ProcessTree.Read(child)!.Value.ProcessGroup);

        await process.StopAsync(CancellationToken.None);

        Assert.True(await ProcessTestKit.EventuallyAsync(() => !ProcessTree.IsAlive(child)), $"grandchild {child} survived the stop");
    }

    [Fact]
    public async Task Stop_kills_a_grandchild_that_left_the_session()
    {
        var process = _kit.Create(ProcessTestKit.FakeModel("escaper", "--spawn-detached-child"));
        await process.StartAsync(CancellationToken.None);
        var child = ProcessTestKit.PidFromLogs(process, "fake upstream detached child pid");
        _kit.Track(child);
        Assert.True(await ProcessTestKit.EventuallyAsync(() => ProcessTree.Read(child) is { Session: var sid } && sid == child),
            "the detached child never got its own session");

        await process.StopAsync(CancellationToken.None);

        Assert.Equal(0, process.ExitCode);
        Assert.True(await ProcessTestKit.EventuallyAsync(() => !ProcessTree.IsAlive(child)), $"detached grandchild {child} survived the stop");
    }

    [Fact]
    public async Task Stop_runs_cmdStop_with_the_pid_instead_of_sigterm()
    {
        var marker = Path.Combine(_temp, "stopped-pid");
        var model = ProcessTestKit.FakeModel("custom", "--ignore-sigterm") with
        {
            // No shell is involved: sh is just the program the config names, ${PID} one argument.
            StopCommand = ["sh", "-c", "printf %s \"$1\" > \"$2\"; kill -KILL \"$1\"", "stopper", "${PID}", marker],
            UnloadTimeout = TimeSpan.FromSeconds(60),
        };
        var process = _kit.Create(model);
        await process.StartAsync(CancellationToken.None);
        var pid = process.ProcessId!.Value;

        // With the 60 s unload timeout, only cmdStop's own SIGKILL can end this stop early.
        await process.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(marker));
        Assert.Equal(SigKillExitCode, process.ExitCode);
        Assert.DoesNotContain("fake upstream ignoring SIGTERM", process.Logs.Snapshot());
    }

    [Fact]
    public async Task Stop_is_idempotent_and_safe_after_a_crash()
    {
        var model = ProcessTestKit.FakeModel("crashed", "--spawn-child");
        var process = _kit.Create(model);
        await process.StartAsync(CancellationToken.None);
        var child = ProcessTestKit.PidFromLogs(process, "fake upstream child pid");
        _kit.Track(child);
        await _kit.CrashAsync(model);
        await process.Exited.WaitAsync(TimeSpan.FromMinutes(2));

        await process.StopAsync(CancellationToken.None);
        await process.StopAsync(CancellationToken.None);
        await process.DisposeAsync();

        Assert.Equal(70, process.ExitCode);
        Assert.True(await ProcessTestKit.EventuallyAsync(() => !ProcessTree.IsAlive(child)), $"grandchild {child} outlived the crash");
    }

    [Fact]
    public async Task Cancelling_a_stop_kills_without_waiting_for_the_unload_timeout()
    {
        var model = ProcessTestKit.FakeModel("hurried", "--ignore-sigterm") with { UnloadTimeout = TimeSpan.FromMinutes(5) };
        var process = _kit.Create(model);
        await process.StartAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await process.StopAsync(cts.Token).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(SigKillExitCode, process.ExitCode);
    }

    [Fact]
    public async Task Stop_during_start_aborts_the_start()
    {
        var process = _kit.Create(ProcessTestKit.FakeModel("interrupted", "--ready-delay", "600000"));
        var start = process.StartAsync(CancellationToken.None);
        Assert.True(await ProcessTestKit.EventuallyAsync(() => process.ProcessId is not null, TimeSpan.FromMinutes(2)));

        await process.StopAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<ModelStartException>(() => start);
        Assert.Contains("stopped while starting", error.Message, StringComparison.Ordinal);
        Assert.False(ProcessTree.IsAlive(process.ProcessId!.Value));
    }

    [Fact]
    public async Task Stop_before_start_completes_exited()
    {
        var process = _kit.Create(ProcessTestKit.FakeModel("unstarted"));

        await process.StopAsync(CancellationToken.None);

        Assert.True(process.Exited.IsCompleted);
        Assert.Null(process.ProcessId);
        await Assert.ThrowsAsync<InvalidOperationException>(() => process.StartAsync(CancellationToken.None));
    }
}
