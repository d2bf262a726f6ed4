using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ModelSwap.Bench.Engine;

/// <summary>A `modelswap engine` child process on a free port, as the gateway would start it.</summary>
internal sealed class EngineServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _client;

    private EngineServer(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Process.Id;

    /// <summary>The command that runs `modelswap`: the apphost next to this benchmark (what `dotnet run` and the gateway use), else `dotnet modelswap.dll`.</summary>
    public static (string FileName, string[] Prefix) Command()
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, "modelswap");
        return File.Exists(apphost)
            ? (apphost, [])
            : ("dotnet", [Path.Combine(AppContext.BaseDirectory, "modelswap.dll")]);
    }

    /// <summary>Spawns the engine without waiting; <see cref="WaitHealthyAsync"/> waits for the model.</summary>
    public static EngineServer Spawn(string model, params string[] flags)
    {
        var port = FreePort();
        var (fileName, prefix) = Command();
        var args = prefix.Concat(["engine", "--model", model, "--port", port.ToString()]).Concat(flags);
        return new EngineServer(ChildProcess.Start(fileName, args), new Uri($"http://127.0.0.1:{port}"));
    }

    public static async Task<EngineServer> StartAsync(string model, params string[] flags)
    {
        var server = Spawn(model, flags);
        try
        {
            await server.WaitHealthyAsync(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls `/health` until 200 (the model is loaded); fails early if the process exits.</summary>
    public async Task WaitHealthyAsync(TimeSpan within, TimeSpan poll)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (_process.Process.HasExited)
                throw new InvalidOperationException($"modelswap engine exited with code {_process.Process.ExitCode}:\n{_process.StderrTail}");
            try
            {
                using var response = await probe.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // port not open yet
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(poll);
        }
        throw new TimeoutException($"modelswap engine at {BaseAddress} not healthy within {within}:\n{_process.StderrTail}");
    }

    /// <summary>A non-streaming greedy /v1/completions of exactly <paramref name="maxTokens"/> tokens (generated models never stop early).</summary>
    public async Task<CompletionTiming> CompleteAsync(string prompt, int maxTokens)
    {
        var body = JsonSerializer.Serialize(new { prompt, max_tokens = maxTokens, temperature = 0 });
        var clock = Stopwatch.StartNew();
        using var response = await _client.PostAsync("/v1/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var wallMs = clock.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"engine answered {(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        var usage = json.RootElement.GetProperty("usage");
        var timings = json.RootElement.GetProperty("timings");
        return new CompletionTiming(
            usage.GetProperty("prompt_tokens").GetInt32(),
            usage.GetProperty("completion_tokens").GetInt32(),
            timings.GetProperty("prompt_ms").GetDouble(),
            timings.GetProperty("predicted_per_second").GetDouble(),
            wallMs);
    }

    /// <summary>
    /// A streaming chat completion; returns when the first chunk with content text arrives, and
    /// reads the rest of the stream so the engine finishes its generation normally.
    /// </summary>
    public async Task<TimeSpan> FirstContentChunkAsync(Stopwatch since, int maxTokens)
    {
        var body = JsonSerializer.Serialize(new
        {
            messages = new[] { new { role = "user", content = "Hello" } },
            max_tokens = maxTokens,
            temperature = 0,
            stream = true,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        TimeSpan? first = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (first is not null || !line.StartsWith("data: {", StringComparison.Ordinal))
                continue;
            using var chunk = JsonDocument.Parse(line.AsMemory(6));
            var choices = chunk.RootElement.GetProperty("choices");
            if (choices.GetArrayLength() > 0
                && choices[0].TryGetProperty("delta", out var delta)
                && delta.TryGetProperty("content", out var content)
                && content.ValueKind == JsonValueKind.String
                && content.GetString()!.Length > 0)
            {
                first = since.Elapsed;
            }
        }
        return first ?? throw new InvalidOperationException("the stream ended without a content chunk");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _process.DisposeAsync();
    }
}
