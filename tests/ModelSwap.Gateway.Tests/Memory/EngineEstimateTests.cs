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
/// model, 127 MiB of weights) at several contexts and parallel settings, each after a prompt of up to
/// about one micro-batch. The goal is within 15 %.
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
            // A prompt of a third of a slot's context, at most about one micro-batch (which is what touches
            // the compute buffers); one request, so the test stays light on a busy machine.
            var prompt = string.Join(' ', Enumerable.Repeat("hello world", Math.Min(ctx / 6, 300)));
            using var client = new HttpClient { BaseAddress = host.Client.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
            var body = new { model = id, max_tokens = 2, messages = new[] { new { role = "user", content = prompt } } };
            using (var response = await client.PostAsJsonAsync("/v1/chat/completions", body))
            {
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }
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
