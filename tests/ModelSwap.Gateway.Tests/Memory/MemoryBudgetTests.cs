using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Tests.Functional;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Memory;

/// <summary>The memory budget with real processes that really hold memory (the fake upstream's --alloc-mb).</summary>
public sealed class MemoryBudgetTests
{
    private static string ThreeModels(string budget = "700MiB") => $"""
        memoryBudget: {budget}
        models:
          model-a:
            cmd: {GatewayTestHost.FakeCmd("a", "--alloc-mb 300")}
            memory: 300MiB
          model-b:
            cmd: {GatewayTestHost.FakeCmd("b", "--alloc-mb 300")}
            memory: 300MiB
          model-c:
            cmd: {GatewayTestHost.FakeCmd("c", "--alloc-mb 300")}
            memory: 300MiB
          keeper:
            cmd: {GatewayTestHost.FakeCmd("keeper")}
            memory: 90MiB
          huge:
            cmd: {GatewayTestHost.FakeCmd("huge")}
            memory: 2GiB
        groups:
          together:
            swap: false
            exclusive: false
            members: [model-a, model-b, model-c, huge]
          kept:
            persistent: true
            swap: false
            exclusive: false
            members: [keeper]
        """;

    [Fact]
    public async Task Third_model_evicts_the_least_recently_used_never_the_persistent_one()
    {
        await using var host = await GatewayTestHost.StartAsync(ThreeModels());
        await host.ChatAsync("keeper");
        var pidA = await host.PidOfAsync("model-a");
        var pidB = await host.PidOfAsync("model-b");
        await host.ChatAsync("model-a"); // model-b is now the least recently used
        Assert.Equal(["keeper", "model-a", "model-b"], await host.RunningAsync());

        await host.ChatAsync("model-c");

        Assert.True(await ProcessProbe.WaitForExitAsync(pidB, TimeSpan.FromMinutes(2)), "model-b should have been stopped for memory");
        Assert.Equal(["keeper", "model-a", "model-c"], await host.RunningAsync());
        Assert.Equal(pidA, await host.PidOfAsync("model-a"));
    }

    [Fact]
    public async Task A_model_larger_than_the_budget_fails_at_once_without_stopping_anything()
    {
        await using var host = await GatewayTestHost.StartAsync(ThreeModels());
        var pidA = await host.PidOfAsync("model-a");

        var error = await host.ChatAsync("huge", expected: HttpStatusCode.ServiceUnavailable);

        Assert.Equal("insufficient_memory", error["error"]!["code"]!.GetValue<string>());
        var message = error["error"]!["message"]!.GetValue<string>();
        Assert.Contains("needs 2 GiB", message, StringComparison.Ordinal);
        Assert.Contains("budget is 700 MiB", message, StringComparison.Ordinal);
        Assert.Equal(["model-a"], await host.RunningAsync());
        Assert.Equal(pidA, await host.PidOfAsync("model-a"));
    }

    [Fact]
    public async Task A_model_with_requests_in_flight_is_evicted_only_after_they_end()
    {
        // Room for one 300 MiB model only: model-c needs model-b's memory while model-b is busy.
        await using var host = await GatewayTestHost.StartAsync(ThreeModels("500MiB"));
        await host.ChatAsync("model-b");

        // A long stream on model-b: it is in flight when model-c needs model-b's memory.
        using var streamRequest = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = "model-b", ["stream"] = true, ["fake_chunks"] = 40, ["fake_chunk_delay_ms"] = 50,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
            }),
        };
        using var stream = await host.Client.SendAsync(streamRequest, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync());

        var c = host.ChatAsync("model-c");
        var waiting = await WaitForQueueAsync(host, "model-c");
        Assert.Contains("stopping model-b after its 1 request(s) in flight", waiting, StringComparison.Ordinal);

        var rest = await reader.ReadToEndAsync();
        Assert.Contains("data: [DONE]", rest, StringComparison.Ordinal);
        Assert.Contains("chunk39", rest, StringComparison.Ordinal); // never cut: every chunk arrived
        await c;
        Assert.Equal(["model-c"], await host.RunningAsync());
    }

    [Fact]
    public async Task Running_reports_the_measured_memory_of_the_process_tree()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a", "--alloc-mb 200")}
            """);
        await host.ChatAsync("model-a");
        await host.App.Services.GetRequiredService<MemorySampler>().SampleNowAsync();

        var running = await host.Client.GetFromJsonAsync<JsonObject>("/running");
        var memory = running!["running"]![0]!["memory"]!;
        Assert.True(memory["resident"]!.GetValue<long>() >= 200L * 1024 * 1024, memory.ToJsonString());
        Assert.True(memory["peak"]!.GetValue<long>() >= memory["resident"]!.GetValue<long>(), memory.ToJsonString());
        Assert.Equal("measured", memory["source"]!.GetValue<string>());
        Assert.True(running["memory"]!["budget"]!.GetValue<long>() > 0);
    }

    /// <summary>Polls /running until a request for <paramref name="model"/> is queued with a reason; returns the reason.</summary>
    private static async Task<string> WaitForQueueAsync(GatewayTestHost host, string model)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            var running = await host.Client.GetFromJsonAsync<JsonObject>("/running");
            var entry = running!["queue"]!.AsArray().FirstOrDefault(q => q!["model"]!.GetValue<string>() == model);
            if (entry?["waitingFor"]?.GetValue<string>() is { } reason)
            {
                Assert.True(entry["position"]!.GetValue<int>() >= 1);
                return reason;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"no queued request for {model} appeared in /running");
    }
}
