using System.Diagnostics;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Launches a program with no shell, ModelSwap's environment plus the given variables, all three
/// standard streams piped (stdin closed at once, so nothing ever reads ModelSwap's terminal), through
/// the <see cref="LaunchWrapper"/> and from the <see cref="ProcessSpawner"/> thread.
/// </summary>
internal static class ProcessLauncher
{
    /// <summary>The value PATH will have in the child, where the program is looked up.</summary>
    public static string? SearchPath(IEnumerable<KeyValuePair<string, string>> environment)
    {
        string? path = null;
        foreach (var (key, value) in environment)
        {
            if (string.Equals(key, "PATH", OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                path = value;
            }
        }
        return path ?? Environment.GetEnvironmentVariable("PATH");
    }

    /// <summary>
    /// Starts <paramref name="command"/> (program already resolved to a full path).
    /// <paramref name="onExited"/> is attached before the start, so even an instant exit is seen.
    /// JobError says why a Windows child could not be tied to ModelSwap's lifetime. With a
    /// <paramref name="cgroup"/>, the program joins it before it runs.
    /// </summary>
    public static Task<(Process Process, string? JobError)> StartAsync(
        IReadOnlyList<string> command,
        IEnumerable<KeyValuePair<string, string>> environment,
        LaunchWrapper wrapper,
        Action<Process> onExited,
        ModelCgroup? cgroup = null)
    {
        var argv = wrapper.Wrap(cgroup is null ? command : cgroup.Join(command));
        var info = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        for (var i = 1; i < argv.Count; i++)
        {
            info.ArgumentList.Add(argv[i]);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.Exited += (_, _) => onExited(process);
        return ProcessSpawner.Shared.RunAsync(() =>
        {
            process.Start();
            // Windows has no parent-death signal; the job object plays that part.
            var jobError = OperatingSystem.IsWindows() ? WindowsJob.TryAssign(process) : null;
            return (process, jobError);
        });
    }
}
