// Engine benchmark. In one run, on models generated here (never downloaded):
//   (1) single stream: tokens/s of `modelswap engine` (a child process, HTTP, 1 thread) vs llama.cpp
//       through node-llama-cpp's prebuilt CPU binary (1 thread), same ~66M-param F16 model, same
//       prompt, greedy, the same number of generated tokens;
//   (2) aggregate tokens/s of the engine with 4 parallel streams vs 1 (and llama.cpp's own 4 vs 1 as a reference);
//   (3) process start to first streamed token for the tiny model.
// Prints medians and ratios against the targets; never asserts.
using System.Globalization;
using ModelSwap.Bench.Engine;
using ModelSwap.Core.Catalog.Gguf;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcess.KillAll();
Console.CancelKeyPress += (_, _) => ChildProcess.KillAll();

var settings = BenchSettings.FromArgs(args);
var directory = Directory.CreateTempSubdirectory("modelswap-enginebench-").FullName;
try
{
    var benchModel = Path.Combine(directory, "bench-66m-f16.gguf");
    var tinyModel = Path.Combine(directory, "tiny.gguf");
    TinyModelBuilder.Write(benchModel, new TinyModelOptions { Size = TinyModelSize.Bench });
    TinyModelBuilder.Write(tinyModel, new TinyModelOptions { Size = TinyModelSize.Tiny });

    var (command, _) = EngineServer.Command();
    Console.WriteLine($"# ModelSwap engine benchmark ({Environment.ProcessorCount} cores, load average {LoadAverage()}, {settings.Runs} run(s) + 1 warm-up per figure)");
    Console.WriteLine($"model: generated llama F16, n_embd 512, 8 layers, vocab 32000 ({new FileInfo(benchModel).Length / 1e6:F0} MB); "
        + $"{settings.Tokens} generated tokens, greedy, 1 thread each side; engine: {command} engine --threads 1");

    // Each part prints as soon as it ends; a part that fails says why and the others still run.
    List<CompletionTiming> nodeRuns = [];
    List<CompletionTiming>? engineP1Runs = null;
    var (node, nodeFailure) = await NodeLlamaBaseline.StartAsync(settings, benchModel);
    await using (node)
    {
        await Part("single stream", async () =>
        {
            await using var engineP1 = await EngineServer.StartAsync(benchModel, "--threads", "1", "--parallel", "1");
            (nodeRuns, engineP1Runs) = await SingleStreamBenchmark.RunAsync(node, engineP1, settings);
            Report.SingleStream(nodeRuns, nodeFailure, node?.Describe ?? "", engineP1Runs);
        });
    }

    ParallelResult? parallel = null;
    await Part("parallel streams", async () =>
    {
        var streams = ParallelBenchmark.Streams.ToString(CultureInfo.InvariantCulture);
        var (node4, node4Failure) = node is null ? (null, nodeFailure) : await NodeLlamaBaseline.StartAsync(settings, benchModel, ParallelBenchmark.Streams);
        await using (node4)
        await using (var engineP4 = await EngineServer.StartAsync(benchModel, "--threads", "1", "--parallel", streams))
        {
            parallel = await ParallelBenchmark.RunAsync(engineP4, node4, settings);
        }
        Report.Parallel(parallel, node4Failure);
    });

    StartupResult? startup = null;
    await Part("start to first token", async () =>
    {
        startup = await StartupBenchmark.RunAsync(tinyModel, Math.Max(settings.Runs, 5));
        Report.Startup(startup);
    });

    Report.Targets(nodeRuns, engineP1Runs, parallel, startup);
    Console.WriteLine($"\nload average at the end: {LoadAverage()}");
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
    catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException or System.Text.Json.JsonException or KeyNotFoundException or System.ComponentModel.Win32Exception)
    {
        Console.WriteLine($"\n## {name}: FAILED\n{ex.Message}");
    }
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
