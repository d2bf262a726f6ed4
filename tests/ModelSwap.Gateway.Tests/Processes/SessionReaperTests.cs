using System.Diagnostics;
using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Tests.Processes;

/// <summary>
/// The reaper kills what the parent-death signal cannot reach (a server's own children) once
/// ModelSwap's end closes its input. Closing the input here stands in for ModelSwap dying.
/// </summary>
public sealed class SessionReaperTests : IDisposable
{
    private readonly List<Process> _started = [];

    public void Dispose()
    {
        foreach (var process in _started)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.Dispose();
        }
    }

    [Fact]
    public async Task End_of_input_kills_registered_groups_and_spares_unregistered_ones()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var reaper = SessionReaper.Start(LaunchWrapper.Current);
        Assert.NotNull(reaper);
        using var reaperProcess = Process.GetProcessById(reaper.ProcessId);
        var registered = StartGroupOfTwo();
        var released = StartGroupOfTwo();
        reaper.Register(registered.Leader);
        reaper.Register(released.Leader);
        reaper.Unregister(released.Leader);

        reaper.CloseInput();

        Assert.True(await ProcessTestKit.EventuallyAsync(() => !ProcessTree.IsAlive(registered.Leader) && !ProcessTree.IsAlive(registered.Member)),
            "the registered group survived the reaper");
        await reaperProcess.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(ProcessTree.IsAlive(released.Leader) && ProcessTree.IsAlive(released.Member), "an unregistered group was killed");
    }

    [Fact]
    public async Task The_reaper_is_in_its_own_session_so_terminal_signals_miss_it()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var reaper = SessionReaper.Start(LaunchWrapper.Current)!;
        try
        {
            // setsid runs a moment after the launch (setpriv, then setsid, then sh): wait for it.
            Assert.True(await ProcessTestKit.EventuallyAsync(() => ProcessTree.Read(reaper.ProcessId)?.Session == reaper.ProcessId),
                "the reaper never became the leader of its own session");
        }
        finally
        {
            reaper.CloseInput();
        }
    }

    /// <summary>A session leader (sh) with a child (sleep) in its group, like a wrapper-script model.</summary>
    private (int Leader, int Member) StartGroupOfTwo()
    {
        var argv = new LaunchWrapper(null, LaunchWrapper.Current.SetsidPath).Wrap(["/bin/sh", "-c", "sleep 300 & echo $!; wait"]);
        var info = new ProcessStartInfo(argv[0]) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        _started.Add(process);
        var member = int.Parse(process.StandardOutput.ReadLine()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(process.Id, ProcessTree.Read(member)!.Value.ProcessGroup);
        return (process.Id, member);
    }
}
