using System.Diagnostics;
using System.Text;

namespace ModelSwap.Cli.Tests.Commands;

/// <summary>
/// A command run inside a pseudo-terminal by util-linux <c>script</c>, as a person at a terminal runs
/// it: what is written goes to the terminal's input (so Ctrl+C, byte 3, becomes SIGINT for the
/// command), and everything the terminal shows is collected.
/// </summary>
internal sealed class PseudoTerminal : IAsyncDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _screen = new();
    private readonly Task _reader;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly string _home;

    private PseudoTerminal(Process process, string home)
    {
        _process = process;
        _home = home;
        _reader = Task.Run(ReadAsync);
    }

    public static PseudoTerminal Start(IReadOnlyList<string> command)
    {
        var info = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -q: no banner, -e: exit with the command's code, -f: flush at once, log to /dev/null.
        // `exec`: script runs the command through $SHELL (dash when unset, as in CI), and dash does
        // not replace itself with a quoted command; a shell left waiting gets Ctrl+C's SIGINT too and
        // dies of it once the command ends, so script would report 130 for a command that exited 0.
        foreach (var arg in new[] { "-q", "-e", "-f", "-c", "exec " + string.Join(' ', command.Select(Quote)), "/dev/null" })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["TERM"] = "dumb";
        info.Environment["SHELL"] = "/bin/sh"; // the shell CI has, whatever the developer's login shell is
        // Its own state dir: never the user's recorded service or models.yaml.
        var home = Directory.CreateTempSubdirectory("modelswap-pty-home-").FullName;
        info.Environment["MODELSWAP_HOME"] = home;
        info.Environment.Remove("MODELSWAP_URL");
        return new PseudoTerminal(Process.Start(info)!, home);
    }

    public string Screen
    {
        get
        {
            lock (_screen)
            {
                return _screen.ToString();
            }
        }
    }

    public async Task TypeAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits until the screen shows <paramref name="text"/> <paramref name="times"/> times.</summary>
    public async Task WaitForAsync(string text, int times = 1)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_screen)
            {
                if (Count(_screen.ToString(), text) >= times)
                {
                    return;
                }
                changed = _changed.Task;
            }
            if (_process.HasExited && _reader.IsCompleted)
            {
                throw new InvalidOperationException($"the command exited before showing '{text}':\n{Screen}");
            }
            var left = HangGuard - deadline.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"'{text}' did not appear {times} time(s) on the terminal:\n{Screen}");
            }
            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(HangGuard);
        await _reader;
        return _process.ExitCode;
    }

    public static int Count(string haystack, string needle)
    {
        var count = 0;
        for (var at = haystack.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = haystack.IndexOf(needle, at + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    private async Task ReadAsync()
    {
        var buffer = new char[4096];
        int read;
        while ((read = await _process.StandardOutput.ReadAsync(buffer)) > 0)
        {
            TaskCompletionSource changed;
            lock (_screen)
            {
                _screen.Append(buffer, 0, read);
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            changed.TrySetResult();
        }
        lock (_screen)
        {
            _changed.TrySetResult();
        }
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_home, recursive: true);
    }
}
