using System.Diagnostics;
using System.Runtime.InteropServices;
using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Tests.Processes;

/// <summary>
/// Model servers must die with ModelSwap, even when it is SIGKILLed. The kernel's parent-death
/// signal (set by setpriv) fires when the THREAD that forked the child exits, so these tests check
/// both halves: the wrapper really arms it, and ModelSwap never forks from a thread that goes away.
/// </summary>
public sealed class ParentDeathTests : IAsyncLifetime
{
    private readonly ProcessTestKit _kit = new();
    private readonly List<Process> _started = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var process in _started)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.Dispose();
        }
        await _kit.DisposeAsync();
    }

    [Fact]
    public void Linux_has_setpriv_with_pdeathsig_and_setsid()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        Assert.True(LaunchWrapper.Current.KillsOnParentDeath, "util-linux setpriv with --pdeathsig not found");
        Assert.True(LaunchWrapper.Current.NewSession, "util-linux setsid not found");
    }

    [Fact]
    public async Task Killing_the_parent_by_sigkill_kills_the_wrapped_child()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        // A stand-in for ModelSwap: a shell that launches the wrapped command as ModelSwap would.
        var wrapped = LaunchWrapper.Current.Wrap(["sleep", "300"]);
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])["-c", "\"$@\" & echo $!; wait", "sh", .. wrapped])
        {
            info.ArgumentList.Add(arg);
        }
        var parent = Process.Start(info)!;
        _started.Add(parent);
        var child = int.Parse(await parent.StandardOutput.ReadLineAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
        _kit.Track(child);
        Assert.True(await ProcessTestKit.EventuallyAsync(() => ProcessTree.Read(child) is { Session: var s } && s == child),
            "the child never became a session leader");
        Assert.Equal(parent.Id, ProcessTree.Read(child)!.Value.ParentPid);

        PosixNative.Kill(parent.Id, PosixNative.SigKill);

        Assert.True(await ProcessTestKit.EventuallyAsync(() => !ProcessTree.IsAlive(child)), "the child outlived its SIGKILLed parent");
    }

    [Fact]
    public async Task Control_a_child_forked_by_a_thread_that_exits_is_killed()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        // Proves the hazard the spawner thread exists for: this is how a thread-pool start would end.
        var pid = 0;
        var tid = RunOnShortLivedThread(() =>
        {
            var info = new ProcessStartInfo(LaunchWrapper.Current.Wrap(["sleep", "300"])[0]) { UseShellExecute = false };
            foreach (var arg in LaunchWrapper.Current.Wrap(["sleep", "300"]).Skip(1))
            {
                info.ArgumentList.Add(arg);
            }
            var process = Process.Start(info)!;
            _started.Add(process);
            pid = process.Id;
            // setpriv arms the signal after its exec; a thread gone before that would prove nothing.
            var armed = Stopwatch.StartNew();
            while (ReadComm(process.Id) != "sleep" && armed.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(1);
            }
        });
        _kit.Track(pid);
        Assert.True(await ProcessTestKit.EventuallyAsync(() => !Directory.Exists($"/proc/self/task/{tid}")), "the thread never exited");

        Assert.True(await ProcessTestKit.EventuallyAsync(() => !ProcessTree.IsAlive(pid)),
            "a child forked by an exited thread survived: the parent-death signal is not armed");
    }

    [Fact]
    public async Task A_model_started_from_a_thread_that_exits_keeps_running()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var model = ProcessTestKit.FakeModel("survivor");
        var process = _kit.Create(model);
        var tid = RunOnShortLivedThread(() => process.StartAsync(CancellationToken.None).GetAwaiter().GetResult());
        Assert.True(await ProcessTestKit.EventuallyAsync(() => !Directory.Exists($"/proc/self/task/{tid}")), "the thread never exited");

        // The calling thread is gone; had it forked the server, the kernel would have SIGKILLed it by now.
        var echo = await _kit.EchoAsync(model, []);

        Assert.Equal(process.ProcessId, echo["pid"]!.GetValue<int>());
        Assert.True(ProcessTree.IsAlive(process.ProcessId!.Value));
        Assert.False(process.Exited.IsCompleted);
    }

    private static string? ReadComm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return null; }
    }

    /// <summary>Runs <paramref name="action"/> on a new thread, waits for it, returns its OS thread id.</summary>
    private static int RunOnShortLivedThread(Action action)
    {
        var tid = 0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            tid = GetTid();
            try { action(); } catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("the short-lived thread failed", failure);
        }
        return tid;
    }

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
}
