using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>
/// A real `modelswap serve --demo` on a port of its own choosing (127.0.0.1:0, read back from its output),
/// with its own MODELSWAP_HOME and models folder, started from an unrelated working directory.
/// </summary>
internal sealed partial class ServedModelSwap : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private ServedModelSwap(Process process, ConcurrentQueue<string> output, Uri baseUrl, string home, string modelsDir)
    {
        _process = process;
        _output = output;
        BaseUrl = baseUrl;
        Home = home;
        ModelsDir = modelsDir;
        Client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(120) };
    }

    public Uri BaseUrl { get; }
    public string Home { get; }
    public string ModelsDir { get; }
    public HttpClient Client { get; }
    public string Output => string.Join('\n', _output);

    public static async Task<ServedModelSwap> StartAsync(string dll, IReadOnlyDictionary<string, string>? environment = null,
        string? home = null, string? modelsDir = null)
    {
        home ??= Directory.CreateTempSubdirectory("modelswap-home-").FullName;
        modelsDir ??= Directory.CreateTempSubdirectory("modelswap-models-").FullName;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            // Not the app's folder: the published web root must be found from anywhere.
            WorkingDirectory = Directory.CreateTempSubdirectory("modelswap-cwd-").FullName,
        };
        foreach (var arg in new[] { dll, "serve", "--demo", "--models-dir", modelsDir, "--listen", "127.0.0.1:0" })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["MODELSWAP_HOME"] = home;
        info.Environment["HF_ENDPOINT"] = "http://127.0.0.1:9";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info)!;
        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }
            output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(90)));
        if (first != listening.Task)
        {
            var reason = first == exited ? $"exited with {process.ExitCode}" : "did not report its address in 90 s";
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"modelswap serve {reason}:\n{string.Join('\n', output)}");
        }
        return new ServedModelSwap(process, output, await listening.Task, home, modelsDir);
    }

    [GeneratedRegex(@"ModelSwap listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
