using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ModelSwap.Bench.Engine;

/// <summary>A process the benchmark started: stderr kept in a small ring for error reports; killed (whole tree) when disposed.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 40;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ChildProcess, byte> Live = new();
    private const int StartupLines = 400;
    private readonly Queue<string> _stderr = new();
    private readonly List<string> _startup = [];

    private ChildProcess(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>Starts the child; <paramref name="onStdout"/> gets every stdout line, then null at the end of the stream.</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> args, Action<string?>? onStdout = null, bool redirectInput = false)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process);
        // Drain both pipes so a chatty child never blocks on a full one.
        process.OutputDataReceived += (_, e) =>
        {
            onStdout?.Invoke(e.Data);
            if (e.Data is not null)
                child.KeepStartup(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child.KeepStderr(e.Data); };
        if (!process.Start())
            throw new InvalidOperationException($"could not start {fileName}");
        Live[child] = 0;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The last lines the child wrote to stderr, for error reports.</summary>
    public string StderrTail
    {
        get
        {
            lock (_stderr)
                return string.Join('\n', _stderr);
        }
    }

    /// <summary>The first output line so far (stdout or stderr) that contains <paramref name="text"/>; start-up lines are kept for this.</summary>
    public string? FirstOutputLineWith(string text)
    {
        lock (_stderr)
            return _startup.FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal));
    }

    private void KeepStartup(string line)
    {
        lock (_stderr)
        {
            if (_startup.Count < StartupLines)
                _startup.Add(line);
        }
    }

    private void KeepStderr(string line)
    {
        KeepStartup(line);
        if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1")
            Console.Error.WriteLine(line);
        lock (_stderr)
        {
            _stderr.Enqueue(line);
            if (_stderr.Count > KeptLines)
                _stderr.Dequeue();
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>SIGTERM, a grace period, then SIGKILL of the whole tree.</summary>
    public void Terminate()
    {
        if (Process.HasExited)
            return;
        _ = kill(Process.Id, 15);
        if (!Process.WaitForExit(TimeSpan.FromSeconds(10)))
            Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
    }

    /// <summary>Last resort on Ctrl+C or exit: SIGKILL every child still running (each by its own pid).</summary>
    public static void KillAll()
    {
        foreach (var child in Live.Keys)
        {
            try
            {
                if (!child.Process.HasExited)
                    child.Process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Live.TryRemove(this, out _);
        try
        {
            Terminate();
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }
        Process.Dispose();
        return ValueTask.CompletedTask;
    }
}
