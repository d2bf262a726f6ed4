using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Bench.LlamaServer;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Testing;

// bash bench/run.sh llama-server [--quick]
//   LLAMA_SERVER=PATH (else scripts/build-llama-server.sh builds or finds it)
// 1. Cold start: a request for a stopped model through ModelSwap (spawn, load, readiness, forward),
//    against llama-server's own spawn-to-healthy measured here with the same tiny model.
// 2. Generation speed through the gateway with and without a draft model (see DraftBench and
//    DraftModels): drafts are the target's own weights at F16, or its first layers.
var quick = args.Contains("--quick");
var rounds = quick ? 5 : 15;
var server = Environment.GetEnvironmentVariable("LLAMA_SERVER") is { Length: > 0 } set ? set : Tools.BuildLlamaServer();
Console.WriteLine($"llama-server: {server}");
var root = Directory.CreateTempSubdirectory("modelswap-bench-llama-").FullName;
try
{
    var models = Directory.CreateDirectory(Path.Combine(root, "models")).FullName;
    var home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
    var tiny = Path.Combine(models, "tiny-chat.gguf");
    TinyModelBuilder.Write(tiny, new TinyModelOptions { Seed = 1 });
    var cutLayers = args.SkipWhile(a => a != "--cut-layers").Skip(1).Select(int.Parse).FirstOrDefault(2);
    var (draftModels, draftYaml) = DraftModels.Write(models, cutLayers);
    foreach (var file in Directory.GetFiles(models))
    {
        SmallGguf.Age(file);
    }
    await File.WriteAllTextAsync(Path.Combine(home, "models.yaml"), $"""
        settings:
          startPort: {TestPorts.NextBlock()}
          ttl: 0
        models:
        {draftYaml}
        """);

    // Baseline: llama-server alone, spawn to the first 200 from /health.
    var direct = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        direct.Add(await Tools.SpawnToHealthyAsync(server, tiny));
    }

    await using var serve = await ServeProcess.StartAsync(models, home, Path.GetDirectoryName(server)!);
    var ids = (await serve.Client.GetFromJsonAsync<JsonObject>("/v1/models"))!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
    Console.WriteLine("served: " + string.Join(", ", ids));
    var cold = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        using (await serve.Client.PostAsync("/unload", null))
        {
        }
        var clock = Stopwatch.StartNew();
        using var health = await serve.Client.GetAsync("/upstream/tiny:chat/health");
        clock.Stop();
        health.EnsureSuccessStatusCode();
        cold.Add(clock.Elapsed.TotalMilliseconds);
    }
    Console.WriteLine();
    Console.WriteLine($"cold start, tiny model, median of {rounds} (p90):");
    Console.WriteLine($"  llama-server spawn-to-healthy:        {Tools.Median(direct),8:0.0} ms ({Tools.P90(direct):0.0})");
    Console.WriteLine($"  through ModelSwap (request to reply): {Tools.Median(cold),8:0.0} ms ({Tools.P90(cold):0.0})");
    Console.WriteLine($"  ratio ModelSwap / llama-server:       {Tools.Median(cold) / Tools.Median(direct),8:0.00}x");

    await DraftBench.RunAsync(serve.Client, draftModels, quick ? 64 : 128, quick ? 3 : 7);
}
finally
{
    Directory.Delete(root, recursive: true);
}
