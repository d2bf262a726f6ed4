using System.Diagnostics;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// How a model server is launched on this machine. On Linux the program runs under util-linux
/// <c>setpriv --pdeathsig KILL</c> (the kernel SIGKILLs it when ModelSwap dies, even by SIGKILL)
/// and <c>setsid</c> (own session and process group, so one signal reaches the whole tree). Both
/// exec in place, so the pid .NET sees is the model server's own pid.
/// </summary>
internal sealed class LaunchWrapper
{
    private static readonly Lazy<LaunchWrapper> CurrentLazy = new(Detect);

    public LaunchWrapper(string? setprivPath, string? setsidPath)
    {
        SetprivPath = setprivPath;
        SetsidPath = setsidPath;
    }

    /// <summary>What this machine offers, detected once.</summary>
    public static LaunchWrapper Current => CurrentLazy.Value;

    public string? SetprivPath { get; }
    public string? SetsidPath { get; }

    /// <summary>The child is killed by the kernel when ModelSwap dies.</summary>
    public bool KillsOnParentDeath => SetprivPath is not null;

    /// <summary>The child leads its own session and process group (its pgid is its pid).</summary>
    public bool NewSession => SetsidPath is not null;

    /// <summary>The program and arguments to hand to Process.Start for <paramref name="command"/>.</summary>
    public IReadOnlyList<string> Wrap(IReadOnlyList<string> command)
    {
        var argv = new List<string>(command.Count + 6);
        if (SetprivPath is not null)
        {
            argv.AddRange([SetprivPath, "--pdeathsig", "KILL", "--"]);
        }
        if (SetsidPath is not null)
        {
            // Not a group leader after .NET's fork, so setsid calls setsid() and execs without forking.
            argv.AddRange([SetsidPath, "--"]);
        }
        argv.AddRange(command);
        return argv;
    }

    private static LaunchWrapper Detect()
    {
        if (!OperatingSystem.IsLinux())
        {
            return new LaunchWrapper(null, null);
        }
        var setpriv = CommandResolver.Resolve("setpriv", SystemPath());
        if (setpriv is not null && !SupportsParentDeathSignal(setpriv))
        {
            setpriv = null;
        }
        return new LaunchWrapper(setpriv, CommandResolver.Resolve("setsid", SystemPath()));
    }

    private static string SystemPath() =>
        "/usr/bin:/bin:/usr/sbin:/sbin:" + (Environment.GetEnvironmentVariable("PATH") ?? "");

    // --pdeathsig arrived in util-linux 2.33; an older setpriv would fail every start.
    private static bool SupportsParentDeathSignal(string setpriv)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(setpriv, "--help")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }
            var help = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)) || !help.Wait(TimeSpan.FromSeconds(1)))
            {
                process.Kill();
                return false;
            }
            return help.Result.Contains("--pdeathsig", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return false;
        }
    }
}
