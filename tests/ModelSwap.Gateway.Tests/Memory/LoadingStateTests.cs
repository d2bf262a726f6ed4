using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Tests.Functional;
using OpenAI;
using OpenAI.Chat;

namespace ModelSwap.Gateway.Tests.Memory;

/// <summary>sendLoadingState: a streaming chat that waits for its model hears why, then gets the model's stream.</summary>
public sealed class LoadingStateTests
{
    private static string Config(bool global, string perModel = "") => $"""
        sendLoadingState: {(global ? "true" : "false")}
        models:
          slow:
            cmd: {GatewayTestHost.FakeCmd("slow", "--ready-delay 1500")}
            {perModel}
        """;

    [Fact]
    public async Task Stream_opens_with_reasoning_deltas_then_the_models_content()
    {
        await using var host = await GatewayTestHost.StartAsync(Config(global: true));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = "slow", ["stream"] = true,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
            }),
        };
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);

        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()).ToList();
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events.Take(events.Count - 1).Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();
        var reasoning = chunks.TakeWhile(c => c["choices"]![0]!["delta"]!["reasoning_content"] is not null).ToList();
        Assert.NotEmpty(reasoning);
        Assert.Contains(reasoning, c => c["choices"]![0]!["delta"]!["reasoning_content"]!.GetValue<string>().Contains("slow", StringComparison.Ordinal));
        var content = chunks.Skip(reasoning.Count).Select(c => c["choices"]?[0]?["delta"]?["content"]?.GetValue<string>()).OfType<string>();
        Assert.Equal("chunk0 chunk1 chunk2 ", string.Concat(content));
    }

    [Fact]
    public async Task OpenAI_sdk_parses_the_stream()
    {
        await using var host = await GatewayTestHost.StartAsync(Config(global: false, perModel: "sendLoadingState: true"));
        var client = new ChatClient("slow", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(host.Client.BaseAddress!, "/v1") });
        var parts = new List<string>();
        var updates = 0;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("hello")]))
        {
            updates++;
            parts.AddRange(update.ContentUpdate.Select(c => c.Text).Where(t => t.Length > 0));
        }
        Assert.Equal(["chunk0 ", "chunk1 ", "chunk2 "], parts);
        Assert.True(updates > parts.Count, "the loading deltas arrive as updates of their own");
    }

    [Fact]
    public async Task A_failed_start_ends_the_started_stream_with_the_error_envelope()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            sendLoadingState: true
            models:
              broken:
                cmd: {GatewayTestHost.FakeCmd("broken", "--crash-after 800 --ready-delay 60000")}
            """);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = "broken", ["stream"] = true,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
            }),
        };
        using var response = await host.Client.SendAsync(request);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()).ToList();

        Assert.Contains("reasoning_content", events[0], StringComparison.Ordinal);
        Assert.Equal("data: [DONE]", events[^1]);
        var error = JsonNode.Parse(events[^2]["data: ".Length..])!["error"]!;
        Assert.Equal("upstream_start_failed", error["code"]!.GetValue<string>());
        Assert.Contains("broken", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_sendLoadingState_the_stream_is_the_models_own()
    {
        await using var host = await GatewayTestHost.StartAsync(Config(global: false));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = "slow", ["stream"] = true,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
            }),
        };
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("reasoning_content", text, StringComparison.Ordinal);
        Assert.Contains("chunk2", text, StringComparison.Ordinal);
    }
}
