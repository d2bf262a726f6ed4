// Engine benchmark: `modelswap engine` against the real llama-server, in one run, on models generated
// here (never downloaded), same GGUF, prompt, greedy token count and thread count on both sides:
//   (1) single stream at each --threads count (default 1 and the core count), and with both sides'
//       default thread choice;
//   (2) aggregate tokens/s of 4 parallel streams vs 1, each side with 4 slots, non-streamed and streamed (SSE);
//   (3) process start to first streamed token for the tiny model.
// Servers take turns run by run; prints medians and ratios against llama-server; never asserts.
using System.Globalization;
using ModelSwap.Bench.Engine;
using ModelSwap.Core.Catalog.Gguf;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcess.KillAll();
Console.CancelKeyPress += (_, _) => ChildProcess.KillAll();

var settings = BenchSettings.FromArgs(args);
const int ContextPerSlot = 4096; // the engine's default per-request context for this model
var directory = Directory.CreateTempSubdirectory("modelswap-enginebench-").FullName;
try
{
    var benchModel = Path.Combine(directory, "bench-66m-f16.gguf");
    var tinyModel = Path.Combine(directory, "tiny.gguf");
    TinyModelBuilder.Write(benchModel, new TinyModelOptions { Size = TinyModelSize.Bench });
    TinyModelBuilder.Write(tinyModel, new TinyModelOptions { Size = TinyModelSize.Tiny });

    var (command, _) = CompletionServer.EngineCommand();
    Console.WriteLine($"# ModelSwap engine benchmark ({Environment.ProcessorCount} cores, load average {LoadAverage()}, {settings.Runs} run(s) + 1 warm-up per figure)");
    Console.WriteLine($"model: generated llama F16, n_embd 512, 8 layers, vocab 32000 ({new FileInfo(benchModel).Length / 1e6:F0} MB); "
        + $"{settings.Tokens} generated tokens, greedy; engine: {command}");
    Console.WriteLine($"llama-server: {settings.LlamaServer ?? "NOT FOUND (set LLAMA_SERVER or pass --llama-server; bench/run.sh builds it)"}");
    foreach (var (name, dir) in settings.ExtraEngines)
        Console.WriteLine($"also measured: engine '{name}' from {dir}");
    foreach (var (name, dir) in settings.Natives)
        Console.WriteLine($"also measured: engine '{name}' with --native-dir {dir}");
    if (settings.LlamaServer is null)
        return 1;

    // Each part prints as soon as it ends; a part that fails says why and the others still run.
    foreach (var threads in settings.Threads.Select(t => (int?)t).Append(null).Where(_ => settings.Only is null or "single"))
    {
        var t = threads?.ToString(CultureInfo.InvariantCulture);
        var label = t is null ? "each side's default threads" : $"{t} thread(s)";
        await Part($"single stream, {label}", async () =>
        {
            var engineFlags = t is null ? new[] { "--parallel", "1" } : ["--threads", t, "--parallel", "1"];
            var suffix = t is null ? " (default -t)" : $" -t {t}";
            var servers = new List<CompletionServer>();
            try
            {
                servers.Add(await CompletionServer.StartLlamaServerAsync("llama-server" + suffix, settings.LlamaServer, benchModel, threads, 1, ContextPerSlot));
                servers.Add(await CompletionServer.StartEngineAsync("engine" + suffix, benchModel, null, engineFlags));
                foreach (var (name, dir) in settings.ExtraEngines)
                    servers.Add(await CompletionServer.StartEngineAsync($"engine '{name}'{suffix}", benchModel, dir, engineFlags));
                foreach (var (name, dir) in settings.Natives)
                    servers.Add(await CompletionServer.StartEngineAsync($"engine '{name}'{suffix}", benchModel, null, [.. engineFlags, "--native-dir", dir]));
                Report.SingleStream(label, await SingleStreamBenchmark.RunAsync(servers, settings));
                // Which llama.cpp each engine runs (the build for this CPU or LLamaSharp's prebuilt): the figures depend on it.
                foreach (var server in servers.Skip(1))
                    Console.WriteLine($"{server.Name}: {server.OutputLineWith("llama.cpp native library") ?? "(native library not reported)"}");
                if (t is null)
                {
                    Console.WriteLine($"llama-server chose: {servers[0].OutputLineWith("n_threads") ?? "(not reported)"}");
                    Console.WriteLine($"engine chose:       {servers[1].OutputLineWith("thread(s)") ?? "(not reported)"}");
                }
            }
            finally
            {
                foreach (var server in servers)
                    await server.DisposeAsync();
            }
        });
    }

    if (settings.Only is null or "parallel")
    {
        await Part("parallel streams", async () =>
        {
            var streams = ParallelBenchmark.Streams.ToString(CultureInfo.InvariantCulture);
            var threads = settings.ParallelThreads;
            string[] flags = threads is { } n ? ["--parallel", streams, "--threads", n.ToString(CultureInfo.InvariantCulture)] : ["--parallel", streams];
            var suffix = threads is { } m ? $" -t {m}" : "";
            var servers = new List<CompletionServer>();
            try
            {
                servers.Add(await CompletionServer.StartLlamaServerAsync("llama-server -np 4" + suffix, settings.LlamaServer, benchModel, threads, ParallelBenchmark.Streams, ContextPerSlot));
                servers.Add(await CompletionServer.StartEngineAsync("engine --parallel 4" + suffix, benchModel, null, flags));
                foreach (var (name, dir) in settings.ExtraEngines)
                    servers.Add(await CompletionServer.StartEngineAsync($"engine '{name}' --parallel 4{suffix}", benchModel, dir, flags));
                foreach (var (name, dir) in settings.Natives)
                    servers.Add(await CompletionServer.StartEngineAsync($"engine '{name}' --parallel 4{suffix}", benchModel, null, [.. flags, "--native-dir", dir]));
                Report.Parallel(await ParallelBenchmark.RunAsync(servers, settings));
            }
            finally
            {
                foreach (var server in servers)
                    await server.DisposeAsync();
            }
        });
    }

    if (settings.Only is null or "startup")
    {
        await Part("start to first token", async () => Report.Startup(await StartupBenchmark.RunAsync(tinyModel, Math.Max(settings.Runs, 5))));
    }

    Console.WriteLine($"\nload average at the end: {LoadAverage()}");
    return 0;
}
finally
{
    ChildProcess.KillAll();
    Directory.Delete(directory, recursive: true);
}

static async Task Part(string name, Func<Task> part)
{
    try
    {
        await part();
    }
    catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or OperationCanceledException or HttpRequestException or IOException or System.Text.Json.JsonException or KeyNotFoundException or System.ComponentModel.Win32Exception)
    {
        Console.WriteLine($"\n## {name}: FAILED\n{ex.Message}");
    }
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
