using System.Diagnostics;
using System.Text.RegularExpressions;
using ModelSwap.Testing;

namespace ModelSwap.LlamaServer.Tests;

/// <summary>`modelswap engine` (the built-in engine) on a port of its own choosing, for comparing runtimes.</summary>
internal sealed partial class EngineProcess : IAsyncDisposable
{
    private readonly Process _process;

    private EngineProcess(Process process, HttpClient client)
    {
        _process = process;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<EngineProcess> StartAsync(string model, params string[] flags)
    {
        var info = new ProcessStartInfo(FakeUpstreamLauncher.DotnetPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { ModelSwapLauncher.DllPath, "engine", "--model", model, "--port", "0" }.Concat(flags))
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }
            output.Enqueue(e.Data);
            if (Listening().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups["url"].Value);
            }
        }
        process.ErrorDataReceived += OnLine;
        process.OutputDataReceived += OnLine;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(ModelSwapServe.HangGuard));
        Assert.True(first == listening.Task, "modelswap engine did not start listening: " + string.Join('\n', output));
        var client = new HttpClient { BaseAddress = new Uri(listening.Task.Result), Timeout = ModelSwapServe.HangGuard };
        var deadline = DateTime.UtcNow + ModelSwapServe.HangGuard;
        while (true)
        {
            using (var health = await client.GetAsync("/health"))
            {
                if (health.IsSuccessStatusCode)
                {
                    break;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, "modelswap engine never became healthy: " + string.Join('\n', output));
            await Task.Delay(20);
        }
        return new EngineProcess(process, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"Listening on (?<url>http://[^\s;]+)")]
    private static partial Regex Listening();
}
