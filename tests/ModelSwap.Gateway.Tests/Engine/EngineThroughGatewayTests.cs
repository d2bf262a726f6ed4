using System.ClientModel;
using Microsoft.Extensions.AI;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Gateway.Tests.Functional;
using ModelSwap.Testing;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace ModelSwap.Gateway.Tests.Engine;

/// <summary>
/// The built-in engine (`modelswap engine`, a real child process) behind the gateway: real clients
/// talk to it through ModelSwap, and it swaps, unloads on TTL and streams like any upstream.
/// </summary>
public sealed class EngineThroughGatewayTests : IAsyncLifetime
{
    private readonly string _models = Directory.CreateTempSubdirectory("modelswap-engine-gw-").FullName;
    private GatewayTestHost _host = null!;

    private string ChatA => Path.Combine(_models, "chat-a.gguf");
    private string ChatB => Path.Combine(_models, "chat-b.gguf");
    private string Embed => Path.Combine(_models, "embed.gguf");

    private static string EngineCmd(string model, string extra = "") =>
        $"'\"{FakeUpstreamLauncher.DotnetPath}\" \"{ModelSwapLauncher.DllPath}\" engine --port ${{PORT}} --model \"{model}\" --ctx-size 512 {extra}'".Replace(" '", "'", StringComparison.Ordinal);

    public async Task InitializeAsync()
    {
        TinyModelBuilder.Write(ChatA, new TinyModelOptions { Seed = 1 });
        TinyModelBuilder.Write(ChatB, new TinyModelOptions { Seed = 2 });
        TinyModelBuilder.Write(Embed, new TinyModelOptions { Embedding = true, Seed = 3 });
        _host = await GatewayTestHost.StartAsync($"""
            healthCheckTimeout: 60
            models:
              chat-a:
                cmd: {EngineCmd(ChatA, "--alias chat-a")}
                aliases: [gpt-4o-mini]
              chat-b:
                cmd: {EngineCmd(ChatB, "--alias chat-b")}
                ttl: 1
              embed:
                cmd: {EngineCmd(Embed, "--embeddings --alias embed")}
            groups:
              embeddings:
                persistent: true
                exclusive: false
                members: [embed]
            """);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_models, recursive: true);
    }

    private OpenAIClientOptions Options => new() { Endpoint = new Uri(_host.Client.BaseAddress!, "/v1"), NetworkTimeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task OpenAi_sdk_chat_stream_and_embeddings_through_the_gateway()
    {
        var chat = new ChatClient("gpt-4o-mini", new ApiKeyCredential("unused"), Options);
        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("hello")], new ChatCompletionOptions { MaxOutputTokenCount = 6 });
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(OpenAI.Chat.ChatFinishReason.Length, completion.FinishReason);

        var parts = 0;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("hello")], new ChatCompletionOptions { MaxOutputTokenCount = 6 }))
        {
            parts += update.ContentUpdate.Count(c => c.Text.Length > 0);
        }
        Assert.True(parts >= 2, $"a stream of 6 tokens arrived in {parts} content chunks");

        var embeddings = new EmbeddingClient("embed", new ApiKeyCredential("unused"), Options);
        OpenAIEmbedding vector = await embeddings.GenerateEmbeddingAsync("hello");
        var values = vector.ToFloats().ToArray();
        Assert.Equal(64, values.Length);
        Assert.Equal(1.0, Math.Sqrt(values.Sum(v => (double)v * v)), 3);
    }

    [Fact]
    public async Task Extensions_ai_chat_client_through_the_gateway()
    {
        IChatClient client = new ChatClient("chat-a", new ApiKeyCredential("unused"), Options).AsIChatClient();
        var response = await client.GetResponseAsync("Hello", new ChatOptions { MaxOutputTokens = 5, Seed = 9 });
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        var streamed = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync("Hello", new ChatOptions { MaxOutputTokens = 5, Seed = 9 }))
        {
            if (!string.IsNullOrEmpty(update.Text))
            {
                streamed.Add(update.Text);
            }
        }
        // Same seed, same prompt: the streamed text is the text.
        Assert.Equal(response.Text, string.Concat(streamed));
    }

    [Fact]
    public async Task Engine_models_swap_keep_the_persistent_embedder_and_unload_on_ttl()
    {
        var embeddings = new EmbeddingClient("embed", new ApiKeyCredential("unused"), Options);
        await embeddings.GenerateEmbeddingAsync("warm");
        var embedPid = await PidAsync("embed");

        await new ChatClient("chat-a", new ApiKeyCredential("unused"), Options).CompleteChatAsync(
            [new UserChatMessage("a")], new ChatCompletionOptions { MaxOutputTokenCount = 2 });
        var pidA = await PidAsync("chat-a");
        await new ChatClient("chat-b", new ApiKeyCredential("unused"), Options).CompleteChatAsync(
            [new UserChatMessage("b")], new ChatCompletionOptions { MaxOutputTokenCount = 2 });
        Assert.True(await ProcessProbe.WaitForExitAsync(pidA, TimeSpan.FromMinutes(2)), "chat-a should be swapped out");
        Assert.Equal(embedPid, await PidAsync("embed"));

        // chat-b has ttl: 1 — it unloads on its own once idle.
        var pidB = await PidAsync("chat-b");
        Assert.True(await ProcessProbe.WaitForExitAsync(pidB, TimeSpan.FromMinutes(2)), "chat-b should unload after its TTL");
        Assert.True(ProcessProbe.IsAlive(embedPid));
    }

    private async Task<int> PidAsync(string model)
    {
        var running = await _host.Client.GetStringAsync("/running");
        var node = System.Text.Json.Nodes.JsonNode.Parse(running)!["running"]!.AsArray().First(r => r!["model"]!.GetValue<string>() == model)!;
        return node["pid"]!.GetValue<int>();
    }
}
