using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Tests.Functional;
using ModelSwap.Testing;
using Xunit.Abstractions;

namespace ModelSwap.Gateway.Tests.Memory;

/// <summary>
/// The estimate against the measured peak of the real built-in engine (a generated 66M-parameter F16
/// model, 127 MiB of weights) at several contexts and parallel settings, each after a prompt that fills
/// a good part of one slot's context. The goal is within 15 %.
/// </summary>
public sealed class EngineEstimateTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("modelswap-estimate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Estimate_is_within_15_percent_of_the_measured_peak()
    {
        var model = Path.Combine(_dir, "bench.gguf");
        TinyModelBuilder.Write(model, new TinyModelOptions { Size = TinyModelSize.Bench, ContextLength = 32768 });
        (int Ctx, int Parallel)[] settings = [(512, 1), (4096, 1), (1024, 4), (4096, 4)];
        var yaml = new StringBuilder("healthCheckTimeout: 120\nmodels:\n");
        foreach (var (ctx, parallel) in settings)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                  e-{ctx}-{parallel}:
                    cmd: '"{FakeUpstreamLauncher.DotnetPath}" "{ModelSwapLauncher.DllPath}" engine --port ${"{"}PORT{"}"} --model "{model}" --ctx-size {ctx} --parallel {parallel}'

                """);
        }
        await using var host = await GatewayTestHost.StartAsync(yaml.ToString());
        var sampler = host.App.Services.GetRequiredService<MemorySampler>();
        var table = new StringBuilder("| ctx-size | parallel | estimate | measured peak | error |\n|---|---|---|---|---|\n");
        var failures = new List<string>();
        foreach (var (ctx, parallel) in settings)
        {
            var id = $"e-{ctx}-{parallel}";
            // About a third of a slot's context, as a chat of some length would use.
            var prompt = string.Join(' ', Enumerable.Repeat("hello world", ctx / 6));
            await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => host.ChatAsync(id, new { max_tokens = 4, messages = new[] { new { role = "user", content = prompt } } })));
            await sampler.SampleNowAsync();
            var running = await host.Client.GetFromJsonAsync<JsonObject>("/running");
            var memory = running!["running"]!.AsArray().Single(r => r!["model"]!.GetValue<string>() == id)!["memory"]!;
            var estimate = memory["estimate"]!.GetValue<long>();
            var peak = memory["peak"]!.GetValue<long>();
            var error = (double)(estimate - peak) / peak;
            table.Append(CultureInfo.InvariantCulture, $"| {ctx} | {parallel} | {estimate / 1048576.0:0} MiB | {peak / 1048576.0:0} MiB | {error:+0.0%;-0.0%} |\n");
            if (Math.Abs(error) > 0.15)
            {
                failures.Add($"{id}: estimate {estimate} vs peak {peak}");
            }
        }
        output.WriteLine(table.ToString());
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + table);
    }
}
