using System.ClientModel;
using OpenAI;
using OpenAI.Chat;

namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>The official OpenAI .NET SDK, unchanged, talks to the gateway.</summary>
public sealed class OpenAiClientTests
{
    private static string Config => $"""
        models:
          model-a:
            cmd: {GatewayTestHost.FakeCmd("a")}
            aliases: [gpt-4o-mini]
        """;

    private static ChatClient ChatClientFor(GatewayTestHost host, string model) =>
        new(model, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(host.Client.BaseAddress!, "/v1") });

    [Fact]
    public async Task Non_streaming_chat_completion()
    {
        await using var host = await GatewayTestHost.StartAsync(Config);
        ChatCompletion completion = await ChatClientFor(host, "gpt-4o-mini").CompleteChatAsync([new UserChatMessage("hello")]);
        Assert.Equal("chunk0 chunk1 chunk2 ", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task Streaming_chat_completion()
    {
        await using var host = await GatewayTestHost.StartAsync(Config);
        var parts = new List<string>();
        await foreach (var update in ChatClientFor(host, "model-a").CompleteChatStreamingAsync([new UserChatMessage("hello")]))
        {
            parts.AddRange(update.ContentUpdate.Select(c => c.Text).Where(t => t.Length > 0));
        }
        Assert.Equal(["chunk0 ", "chunk1 ", "chunk2 "], parts);
    }
}
