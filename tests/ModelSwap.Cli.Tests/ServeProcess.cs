using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ModelSwap.Cli.Tests;

/// <summary>Runs `dotnet modelswap.dll serve` on a free port and waits until it answers /health.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly string _directory;

    private ServeProcess(Process process, HttpClient client, string directory, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        Output = output;
        ConfigPath = Path.Combine(directory, "config.yaml");
        Process = process;
        Client = client;
        _directory = directory;
    }

    public Process Process { get; }
    public HttpClient Client { get; }
    public string ConfigPath { get; }

    /// <summary>Every line serve printed so far (stdout and stderr).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; }

    public static string ModelSwapDll => Path.Combine(AppContext.BaseDirectory, "modelswap.dll");

    public static string FakeCmd(string name) =>
        $"dotnet \"{Path.Combine(AppContext.BaseDirectory, "ModelSwap.FakeUpstream.dll")}\" --port ${{PORT}} --name {name}";

    public static Task<ServeProcess> StartAsync(string yaml, params string[] extraArgs) =>
        StartAsync(yaml, new Dictionary<string, string>(), extraArgs);

    /// <param name="environment">Variables for the service (e.g. MODELSWAP_MODELS_DIR).</param>
    public static Task<ServeProcess> StartAsync(string yaml, IReadOnlyDictionary<string, string> environment, params string[] extraArgs) =>
        StartAsync(yaml, environment, [], extraArgs);

    /// <param name="launcher">A program (and its arguments) that execs the service's command line, e.g. one
    /// that changes the signal dispositions the service inherits; empty: started directly.</param>
    public static async Task<ServeProcess> StartAsync(string yaml, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> launcher, params string[] extraArgs)
    {
        var directory = Directory.CreateTempSubdirectory("modelswap-serve-").FullName;
        var config = Path.Combine(directory, "config.yaml");
        if (!yaml.Contains("startPort:", StringComparison.Ordinal))
        {
            yaml = $"startPort: {ModelSwap.Testing.TestPorts.NextBlock()}\n" + yaml;
        }
        await File.WriteAllTextAsync(config, yaml);
        var port = ModelSwap.Testing.FreePort.Get();
        var info = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var command = launcher.Count > 0 ? launcher.Skip(1).Append("dotnet") : [];
        foreach (var arg in command.Concat([ModelSwapDll, "serve", "--config", config, "--listen", $"127.0.0.1:{port}"]).Concat(extraArgs))
        {
            info.ArgumentList.Add(arg);
        }
        // Its own state dir (activity database, logs), never the user's, and no key or URL from the caller's shell.
        info.Environment["MODELSWAP_HOME"] = Path.Combine(directory, "home");
        info.Environment.Remove("MODELSWAP_API_KEYS");
        info.Environment.Remove("MODELSWAP_URL");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        var process = Process.Start(info)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(3) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("modelswap serve exited: " + string.Join('\n', output));
            }
            try
            {
                using var health = await client.GetAsync("/health");
                if (health.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(3))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("modelswap serve did not answer /health: " + string.Join('\n', output));
            }
            await Task.Delay(50);
        }
        return new ServeProcess(process, client, directory, output);
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit(TimeSpan.FromMinutes(1));
        }
        Process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
