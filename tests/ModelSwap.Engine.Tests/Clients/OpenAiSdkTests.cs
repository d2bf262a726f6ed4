using System.ClientModel;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace ModelSwap.Engine.Tests.Clients;

/// <summary>The official OpenAI .NET SDK, unchanged, against the engine.</summary>
public sealed class OpenAiSdkTests(TinyModels models) : IClassFixture<TinyModels>, IAsyncLifetime
{
    private TestEngine _chatEngine = null!;
    private TestEngine _embeddingEngine = null!;

    public async Task InitializeAsync()
    {
        _chatEngine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, Alias = "tiny", ContextSize = 512 });
        _embeddingEngine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Embedding, Alias = "embed", Embeddings = true, ContextSize = 128 });
    }

    public async Task DisposeAsync()
    {
        await _chatEngine.DisposeAsync();
        await _embeddingEngine.DisposeAsync();
    }

    private static OpenAIClientOptions Options(TestEngine engine) =>
        new() { Endpoint = new Uri(engine.BaseAddress, "/v1"), NetworkTimeout = TimeSpan.FromSeconds(60) };

    private ChatClient ChatClient() => new("tiny", new ApiKeyCredential("not-needed"), Options(_chatEngine));

    [Fact]
    public async Task ChatClientCompletes()
    {
        ChatCompletion completion = await ChatClient().CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Tell me about dogs.")],
            new ChatCompletionOptions { MaxOutputTokenCount = 12, Temperature = 0.5f });

        Assert.Equal("tiny", completion.Model);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(12, completion.Usage.OutputTokenCount);
        Assert.Equal(completion.Usage.InputTokenCount + 12, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task ChatClientStreams()
    {
        var text = new System.Text.StringBuilder();
        var updates = 0;
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in ChatClient().CompleteChatStreamingAsync(
            [new UserChatMessage("Count to ten.")],
            new ChatCompletionOptions { MaxOutputTokenCount = 10 }))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
                text.Append(part.Text);
            finish = update.FinishReason ?? finish;
            usage = update.Usage ?? usage;
        }

        Assert.True(updates >= 10, $"expected a chunk per token, got {updates}");
        Assert.False(string.IsNullOrWhiteSpace(text.ToString()));
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.NotNull(usage);
        Assert.Equal(10, usage.OutputTokenCount);
    }

    [Fact]
    public async Task EmbeddingClientEmbeds()
    {
        var client = new EmbeddingClient("embed", new ApiKeyCredential("not-needed"), Options(_embeddingEngine));

        OpenAIEmbedding one = await client.GenerateEmbeddingAsync("hello there");
        var vector = one.ToFloats().ToArray();
        Assert.Equal(64, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 4);

        OpenAIEmbeddingCollection many = await client.GenerateEmbeddingsAsync(["first text", "second text"]);
        Assert.Equal(2, many.Count);
        Assert.Equal([0, 1], many.Select(e => e.Index));
        Assert.NotEqual(many[0].ToFloats().ToArray(), many[1].ToFloats().ToArray());
    }
}
