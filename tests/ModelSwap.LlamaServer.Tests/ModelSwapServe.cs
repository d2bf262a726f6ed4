using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Testing;

namespace ModelSwap.LlamaServer.Tests;

/// <summary>
/// `modelswap serve --models-dir DIR` as a real process, with the real llama-server first on its
/// PATH (so discovery finds it there) and its own MODELSWAP_HOME holding models.yaml. Disposing it
/// kills it and deletes its folders.
/// </summary>
internal sealed class ModelSwapServe : IAsyncDisposable
{
    /// <summary>Generous: llama-server loads a tiny model in milliseconds, but test machines are busy.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(90);

    private readonly ConcurrentQueue<string> _output = new();

    private ModelSwapServe(string root)
    {
        Root = root;
    }

    public string Root { get; }
    public string ModelsDir => System.IO.Path.Combine(Root, "models");
    public string Home => System.IO.Path.Combine(Root, "home");
    public Process Process { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public string Output => string.Join('\n', _output);

    /// <summary>Makes the folders; <paramref name="arrange"/> writes models (and may write models.yaml lines).</summary>
    public static async Task<ModelSwapServe> StartAsync(Action<ModelSwapServe> arrange, string modelsYaml = "")
    {
        var serve = new ModelSwapServe(Directory.CreateTempSubdirectory("modelswap-llama-").FullName);
        Directory.CreateDirectory(serve.ModelsDir);
        Directory.CreateDirectory(serve.Home);
        arrange(serve);
        await File.WriteAllTextAsync(System.IO.Path.Combine(serve.Home, "models.yaml"),
            $"settings:\n  startPort: {TestPorts.NextBlock()}\n  ttl: 0\n{modelsYaml}");
        await serve.LaunchAsync();
        return serve;
    }

    /// <summary>Writes a tiny model into the models folder, aged past the scanner's settle time.</summary>
    public string AddModel(string fileName, TinyModelOptions options)
    {
        var path = System.IO.Path.Combine(ModelsDir, fileName);
        TinyModelBuilder.Write(path, options);
        SmallGguf.Age(path);
        return path;
    }

    private async Task LaunchAsync()
    {
        var port = ModelSwap.Testing.FreePort.Get();
        var info = new ProcessStartInfo(FakeUpstreamLauncher.DotnetPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { ModelSwapLauncher.DllPath, "serve", "--models-dir", ModelsDir, "--listen", $"127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["MODELSWAP_HOME"] = Home;
        info.Environment["PATH"] = LlamaServerBinary.Directory + ":" + Environment.GetEnvironmentVariable("PATH");
        Process = Process.Start(info)!;
        Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        Process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        Process.BeginErrorReadLine();
        Process.BeginOutputReadLine();
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = HangGuard };
        var deadline = DateTime.UtcNow + HangGuard;
        while (true)
        {
            Assert.False(Process.HasExited, "modelswap serve exited: " + Output);
            try
            {
                using var health = await Client.GetAsync("/health");
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or SocketException)
            {
                // Not listening yet. A connect to a port nobody listens on can also fail as a bare
                // SocketException (ENOTCONN) rather than an HttpRequestException.
            }
            Assert.True(DateTime.UtcNow < deadline, "modelswap serve did not answer /health: " + Output);
            await Task.Delay(50);
        }
    }

    /// <summary>The served id of the model in <paramref name="fileName"/> (from /v1/models metadata).</summary>
    public async Task<string> IdOfAsync(string fileName)
    {
        var list = await Client.GetFromJsonAsync<JsonObject>("/v1/models");
        var model = list!["data"]!.AsArray().FirstOrDefault(m => System.IO.Path.GetFileName(m!["metadata"]?["file"]?.GetValue<string>()) == fileName);
        Assert.True(model is not null, $"{fileName} is not served: {list.ToJsonString()}\n{Output}");
        return model!["id"]!.GetValue<string>();
    }

    /// <summary>The /running entry of a model, or null when it does not run.</summary>
    public async Task<JsonObject?> RunningAsync(string id)
    {
        var running = await Client.GetFromJsonAsync<JsonObject>("/running");
        return running!["running"]!.AsArray().Select(r => r!.AsObject()).FirstOrDefault(r => r["model"]!.GetValue<string>() == id);
    }

    public async Task<int> PidAsync(string id)
    {
        var entry = await RunningAsync(id);
        Assert.True(entry?["pid"] is not null, $"{id} is not running");
        return entry!["pid"]!.GetValue<int>();
    }

    public async Task<JsonObject> PostAsync(string path, object body) => (await PostNodeAsync(path, body)).AsObject();

    /// <summary>For answers that are a bare JSON array (TEI's rerank form).</summary>
    public async Task<JsonArray> PostArrayAsync(string path, object body) => (await PostNodeAsync(path, body)).AsArray();

    private async Task<JsonNode> PostNodeAsync(string path, object body)
    {
        using var response = await Client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"POST {path}: {(int)response.StatusCode} {text}\n{await DiagnosticsAsync()}");
        }
        return JsonNode.Parse(text)!;
    }

    /// <summary>
    /// What a failed test prints: ModelSwap's own output and the models' output from its /logs
    /// (llama-server's stderr, which says why it refused or died).
    /// </summary>
    public async Task<string> DiagnosticsAsync()
    {
        string logs;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            logs = await Client.GetStringAsync("/logs", timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            logs = "(GET /logs failed: " + e.Message + ")";
        }
        return $"--- modelswap serve output ---\n{Output}\n--- GET /logs (models' output) ---\n{logs}";
    }

    /// <summary>Sends a signal (TERM, KILL) to the serve process with kill(1).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + name, Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!Process.HasExited)
        {
            // SIGTERM first: ModelSwap stops its llama-servers; the kill is the fallback.
            Signal("TERM");
            if (!Process.WaitForExit(30_000))
            {
                Process.Kill(entireProcessTree: true);
            }
        }
        await Process.WaitForExitAsync();
        Process.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
