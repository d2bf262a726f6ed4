using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ModelSwap.Cli.Commands;

/// <summary>Starts `modelswap serve` detached in the background and stops it again (Linux/macOS).</summary>
internal static class DetachedService
{
    /// <summary>Starts serve in its own session with output appended to the log; returns its pid.</summary>
    public static int Start(IReadOnlyList<string> serveArguments, string logFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        // The shell detaches it (own session, no terminal, output to the log) and reports its pid.
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("log=$1; shift; setsid \"$@\" >>\"$log\" 2>&1 </dev/null & echo $!");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(logFile);
        foreach (var arg in ModelSwap.Core.Catalog.EngineCommandLine.ForCurrentProcess().Concat(["serve"]).Concat(serveArguments))
        {
            info.ArgumentList.Add(arg);
        }
        using var shell = Process.Start(info) ?? throw new InvalidOperationException("could not run /bin/sh");
        var pidText = shell.StandardOutput.ReadLine();
        shell.WaitForExit();
        return int.TryParse(pidText, out var pid) ? pid : throw new InvalidOperationException($"could not start the service: {pidText}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>SIGTERM, then waits for the process to end (it stops its model servers first).</summary>
    public static async Task<bool> StopAsync(int pid, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (kill(pid, 15) != 0)
        {
            return true; // already gone
        }
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < wait)
        {
            if (!ServiceHome.IsModelSwap(pid))
            {
                return true;
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        return false;
    }

    public static IReadOnlyList<string> LogTail(string logFile, int lines)
    {
        try
        {
            return File.ReadLines(logFile).TakeLast(lines).ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }
}
