using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ModelSwap.Bench.Engine;

/// <summary>
/// An OpenAI-compatible server the benchmark started on a free port: `modelswap engine` (as the
/// gateway starts it) or llama-server. Both answer `/v1/completions` with `usage` and `timings`.
/// </summary>
internal sealed class CompletionServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _client;

    private CompletionServer(string name, ChildProcess process, Uri baseAddress)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
        _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };
    }

    /// <summary>What the report calls it, e.g. "engine -t 2" or "llama-server -t 2".</summary>
    public string Name { get; }

    public Uri BaseAddress { get; }

    /// <summary>The command that runs `modelswap` from <paramref name="directory"/> (default: next to this benchmark): its apphost, else `dotnet modelswap.dll`.</summary>
    public static (string FileName, string[] Prefix) EngineCommand(string? directory = null)
    {
        directory ??= AppContext.BaseDirectory;
        var apphost = Path.Combine(directory, "modelswap");
        return File.Exists(apphost)
            ? (apphost, [])
            : ("dotnet", [Path.Combine(directory, "modelswap.dll")]);
    }

    /// <summary>Spawns the engine without waiting; <see cref="WaitHealthyAsync"/> waits for the model.</summary>
    public static CompletionServer SpawnEngine(string name, string model, string? directory, params string[] flags)
    {
        var port = FreePort();
        var (fileName, prefix) = EngineCommand(directory);
        var args = prefix.Concat(["engine", "--model", model, "--port", port.ToString(CultureInfo.InvariantCulture)]).Concat(flags);
        return new CompletionServer(name, ChildProcess.Start(fileName, args), new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>
    /// llama-server with the engine's shape: <paramref name="parallel"/> slots of <paramref name="contextPerSlot"/>
    /// tokens each (llama-server's -c is the total), no web UI; null threads keeps llama-server's own default.
    /// </summary>
    public static CompletionServer SpawnLlamaServer(string name, string binary, string model, int? threads, int parallel, int contextPerSlot)
    {
        var port = FreePort();
        List<string> args = ["-m", model, "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "-np", parallel.ToString(CultureInfo.InvariantCulture), "-c", (contextPerSlot * parallel).ToString(CultureInfo.InvariantCulture), "--no-webui"];
        if (threads is { } t)
            args.AddRange(["-t", t.ToString(CultureInfo.InvariantCulture), "-tb", t.ToString(CultureInfo.InvariantCulture)]);
        return new CompletionServer(name, ChildProcess.Start(binary, args), new Uri($"http://127.0.0.1:{port}"));
    }

    public static async Task<CompletionServer> StartEngineAsync(string name, string model, string? directory, params string[] flags) =>
        await WaitAsync(SpawnEngine(name, model, directory, flags));

    public static async Task<CompletionServer> StartLlamaServerAsync(string name, string binary, string model, int? threads, int parallel, int contextPerSlot) =>
        await WaitAsync(SpawnLlamaServer(name, binary, model, threads, parallel, contextPerSlot));

    private static async Task<CompletionServer> WaitAsync(CompletionServer server)
    {
        try
        {
            await server.WaitHealthyAsync(TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(20));
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
                throw new InvalidOperationException($"{Name} exited with code {_process.Process.ExitCode}:\n{_process.StderrTail}");
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
        throw new TimeoutException($"{Name} at {BaseAddress} not healthy within {within}:\n{_process.StderrTail}");
    }

    /// <summary>
    /// A non-streaming greedy /v1/completions of <paramref name="maxTokens"/> tokens; `ignore_eos` keeps
    /// llama-server from stopping early (the engine's generated models never emit EOS greedily anyway).
    /// </summary>
    public async Task<CompletionTiming> CompleteAsync(string prompt, int maxTokens)
    {
        var body = JsonSerializer.Serialize(new { prompt, max_tokens = maxTokens, temperature = 0, ignore_eos = true, cache_prompt = false });
        var cpuBefore = ProcessCpu.Milliseconds(_process.Process.Id);
        var clock = Stopwatch.StartNew();
        using var response = await _client.PostAsync("/v1/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var wallMs = clock.Elapsed.TotalMilliseconds;
        var cpuMs = ProcessCpu.Milliseconds(_process.Process.Id) - cpuBefore ?? double.NaN;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{Name} answered {(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        var usage = json.RootElement.GetProperty("usage");
        var timings = json.RootElement.GetProperty("timings");
        return new CompletionTiming(
            usage.GetProperty("prompt_tokens").GetInt32(),
            usage.GetProperty("completion_tokens").GetInt32(),
            timings.GetProperty("prompt_ms").GetDouble(),
            timings.GetProperty("predicted_per_second").GetDouble(),
            wallMs,
            cpuMs);
    }

    /// <summary>
    /// The same greedy completion as <see cref="CompleteAsync"/>, streamed (SSE) the way chat clients read
    /// it: returns the completion tokens (from the final `usage`, else one per content chunk) and the
    /// content chunks received, so the server's per-token write path is part of the figure.
    /// </summary>
    public async Task<(int Tokens, int Chunks)> StreamAsync(string prompt, int maxTokens)
    {
        var body = JsonSerializer.Serialize(new
        {
            prompt,
            max_tokens = maxTokens,
            temperature = 0,
            ignore_eos = true,
            cache_prompt = false,
            stream = true,
            stream_options = new { include_usage = true },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{Name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        int chunks = 0, tokens = -1;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
                continue;
            using var chunk = JsonDocument.Parse(line.AsMemory(6));
            var root = chunk.RootElement;
            if (root.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0
                && choices[0].TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String && text.GetString()!.Length > 0)
            {
                chunks++;
            }
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
                tokens = usage.GetProperty("completion_tokens").GetInt32();
        }
        return (tokens >= 0 ? tokens : chunks, chunks);
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

    /// <summary>The first output line that mentions <paramref name="text"/>, e.g. the thread count a server chose.</summary>
    public string? OutputLineWith(string text) => _process.FirstOutputLineWith(text);

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
