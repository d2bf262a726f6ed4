using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;

namespace ModelSwap.Bench.Engine;

/// <summary>
/// llama.cpp through node-llama-cpp's prebuilt CPU binary (bench/engine-node/generate.mjs), kept
/// running with the model loaded; each <see cref="RunAsync"/> is one greedy generation.
/// </summary>
internal sealed class NodeLlamaBaseline : IAsyncDisposable
{
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();

    private ChildProcess _process = null!;

    private NodeLlamaBaseline()
    {
    }

    /// <summary>One stdout line of the script; null when its stdout ends (it exited).</summary>
    private void OnStdout(string? line)
    {
        if (line is null)
        {
            _events.Writer.TryComplete();
            return;
        }
        if (!line.StartsWith('{'))
            return; // stray library output
        try
        {
            using var json = JsonDocument.Parse(line);
            _events.Writer.TryWrite(json.RootElement.Clone());
        }
        catch (JsonException)
        {
        }
    }

    public double LoadMs { get; private set; }
    public int PromptTokens { get; private set; }
    public string Describe { get; private set; } = "";

    /// <summary>The baseline with its model loaded, or why it could not be started (with node's own error text).</summary>
    public static async Task<(NodeLlamaBaseline? Baseline, string? Failure)> StartAsync(BenchSettings settings, string model, int sequences = 1)
    {
        var directory = settings.NodeDirectory ?? FindNodeDirectory();
        if (directory is null)
            return (null, "bench/engine-node/generate.mjs not found above " + AppContext.BaseDirectory + " (pass --node-dir DIR)");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "node-llama-cpp")))
            return (null, $"node-llama-cpp is not installed in {directory}: run `npm ci --omit=optional` there (bench/run.sh does)");

        var baseline = new NodeLlamaBaseline();
        try
        {
            baseline._process = ChildProcess.Start("node", [
                Path.Combine(directory, "generate.mjs"), "--model", model, "--threads", "1",
                "--tokens", settings.Tokens.ToString(CultureInfo.InvariantCulture), "--sequences", sequences.ToString(CultureInfo.InvariantCulture),
                "--prompt", BenchSettings.Prompt,
            ], baseline.OnStdout, redirectInput: true);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (null, $"could not start node: {ex.Message}");
        }
        try
        {
            var ready = await baseline.NextEventAsync(TimeSpan.FromSeconds(120));
            baseline.LoadMs = ready.GetProperty("loadMs").GetDouble();
            baseline.PromptTokens = ready.GetProperty("promptTokens").GetInt32();
            baseline.Describe = $"node-llama-cpp 3.21.1, {ready.GetProperty("buildType")} binary, gpu={ready.GetProperty("gpu")}, {ready.GetProperty("threads")} thread(s), ctx {ready.GetProperty("contextSize")} x {ready.GetProperty("sequences")} sequence(s), flash attention {ready.GetProperty("flashAttention")}";
            return (baseline, null);
        }
        catch (InvalidOperationException ex)
        {
            await baseline.DisposeAsync();
            return (null, ex.Message);
        }
    }

    /// <summary>One generation in one sequence.</summary>
    public async Task<CompletionTiming> RunAsync()
    {
        var result = await RunEventAsync(1);
        return new CompletionTiming(
            result.GetProperty("promptTokens").GetInt32(),
            result.GetProperty("completionTokens").GetInt32(),
            result.GetProperty("promptMs").GetDouble(),
            result.GetProperty("predictedPerSecond").GetDouble(),
            result.GetProperty("wallMs").GetDouble());
    }

    /// <summary>
    /// <paramref name="streams"/> generations at once (llama.cpp decodes them in one batch per step):
    /// all their tokens over the wall time until the last ended, and each stream's decode rate.
    /// </summary>
    public async Task<(double Aggregate, double[] StreamsDecode)> RunParallelAsync(int streams)
    {
        var result = await RunEventAsync(streams);
        var perStream = result.GetProperty("streamsPredictedPerSecond").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return (result.GetProperty("aggregatePerSecond").GetDouble(), perStream);
    }

    private async Task<JsonElement> RunEventAsync(int streams)
    {
        await _process.Process.StandardInput.WriteLineAsync($"run {streams.ToString(CultureInfo.InvariantCulture)}");
        await _process.Process.StandardInput.FlushAsync();
        return await NextEventAsync(TimeSpan.FromMinutes(5));
    }

    /// <summary>The next ready/result event; an error event or an exit becomes an exception carrying node's own text.</summary>
    private async Task<JsonElement> NextEventAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            var next = await _events.Reader.ReadAsync(timeout.Token);
            if (next.GetProperty("event").GetString() == "error")
                throw new InvalidOperationException($"node-llama-cpp failed at {next.GetProperty("stage")}: {next.GetProperty("message")}\n{_process.StderrTail}".TrimEnd());
            return next;
        }
        catch (ChannelClosedException)
        {
            _process.Process.WaitForExit();
            throw new InvalidOperationException($"node exited with code {_process.Process.ExitCode} before answering:\n{_process.StderrTail}".TrimEnd());
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"node did not answer within {within}:\n{_process.StderrTail}".TrimEnd());
        }
    }

    private static string? FindNodeDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "bench", "engine-node");
            if (File.Exists(Path.Combine(candidate, "generate.mjs")))
                return candidate;
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // EOF on stdin ends the script after it frees the model.
            _process.Process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.Process.WaitForExitAsync(grace.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException)
        {
        }
        await _process.DisposeAsync();
    }
}
