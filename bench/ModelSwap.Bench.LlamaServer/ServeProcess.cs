using System.Diagnostics;
using System.Globalization;
using ModelSwap.Testing;

namespace ModelSwap.Bench.LlamaServer;

/// <summary>`modelswap serve --models-dir DIR` with llama-server first on PATH, as a user runs it.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServeProcess(Process process, HttpClient client)
    {
        _process = process;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<ServeProcess> StartAsync(string models, string home, string serverDirectory)
    {
        var port = Tools.FreePort();
        var info = new ProcessStartInfo(FakeUpstreamLauncher.DotnetPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { ModelSwapLauncher.DllPath, "serve", "--models-dir", models, "--listen", $"127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["MODELSWAP_HOME"] = home;
        info.Environment["PATH"] = serverDirectory + ":" + Environment.GetEnvironmentVariable("PATH");
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), Timeout = TimeSpan.FromMinutes(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var health = await client.GetAsync("/health");
                if (health.IsSuccessStatusCode)
                {
                    return new ServeProcess(process, client);
                }
            }
            catch (Exception e) when (e is HttpRequestException or System.Net.Sockets.SocketException)
            {
            }
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException("modelswap serve did not start");
            }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
