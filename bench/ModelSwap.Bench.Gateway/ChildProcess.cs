using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ModelSwap.Bench.Gateway;

/// <summary>A process the benchmark started; killed (whole tree) when disposed.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private ChildProcess(Process process) => Process = process;

    public Process Process { get; }

    public static ChildProcess Start(string fileName, params string[] args)
    {
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        // Drain output so a chatty child never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null && Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1") { Console.Error.WriteLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>SIGTERM, then wait; returns how long the exit took.</summary>
    public TimeSpan Terminate()
    {
        var clock = Stopwatch.StartNew();
        if (!Process.HasExited)
        {
            kill(Process.Id, 15);
            if (!Process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                Process.Kill(entireProcessTree: true);
            }
        }
        return clock.Elapsed;
    }

    public ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Terminate();
        }
        Process.Dispose();
        return ValueTask.CompletedTask;
    }
}
