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

    /// <summary>
    /// One line saying why a service that exited while starting failed: its last "error:" line in the
    /// part of the log it wrote, else its last line.
    /// </summary>
    public static string FailureReason(string logFile, long from)
    {
        var lines = NewLines(logFile, from);
        var error = lines.LastOrDefault(l => l.StartsWith("error:", StringComparison.Ordinal));
        if (error is not null)
        {
            return error["error:".Length..].Trim();
        }
        return lines.Count == 0 ? "the service exited while starting and wrote nothing" : "the service exited while starting: " + lines[^1].Trim();
    }

    private static List<string> NewLines(string logFile, long from)
    {
        try
        {
            using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var lines = new List<string>();
            while (reader.ReadLine() is { } line)
            {
                if (line.Trim().Length > 0)
                {
                    lines.Add(line);
                }
            }
            return lines;
        }
        catch (IOException)
        {
            return [];
        }
    }
}
