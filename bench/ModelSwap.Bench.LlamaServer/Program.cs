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
// 2. Decode speed through the gateway with and without a draft model, the draft being the target
//    itself (every drafted token is accepted): what speculative decoding costs or gains at 100 %.
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
    // A bigger model for decoding (8 layers, 32k vocabulary), twice: once drafting for itself, once alone.
    var plain = Path.Combine(models, "bench-plain.gguf");
    TinyModelBuilder.Write(plain, new TinyModelOptions { Size = TinyModelSize.Bench, Seed = 5 });
    File.Copy(plain, Path.Combine(models, "bench-drafted.gguf"));
    foreach (var file in Directory.GetFiles(models))
    {
        SmallGguf.Age(file);
    }
    await File.WriteAllTextAsync(Path.Combine(home, "models.yaml"), $"""
        settings:
          startPort: {TestPorts.NextBlock()}
          ttl: 0
        models:
          "bench-drafted:66m":
            draft: "bench-drafted:66m"
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

    var tokens = quick ? 64 : 256;
    var (plainRate, _) = await Tools.DecodeAsync(serve.Client, "bench-plain:66m", tokens, quick ? 2 : 4);
    var (draftedRate, acceptance) = await Tools.DecodeAsync(serve.Client, "bench-drafted:66m", tokens, quick ? 2 : 4);
    Console.WriteLine();
    Console.WriteLine($"decode through the gateway, {tokens} tokens, greedy (Bench-size model, {new FileInfo(plain).Length / 1_048_576} MiB):");
    Console.WriteLine($"  without a draft:                      {plainRate,8:0.0} tokens/s");
    Console.WriteLine($"  draft = the target itself:            {draftedRate,8:0.0} tokens/s (acceptance {acceptance})");
    Console.WriteLine($"  ratio drafted / plain:                {draftedRate / plainRate,8:0.00}x");
}
finally
{
    Directory.Delete(root, recursive: true);
}
