using System.ClientModel;
using Microsoft.Extensions.AI;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace ModelSwap.Engine.Tests.Clients;

/// <summary>Microsoft.Extensions.AI's IChatClient and IEmbeddingGenerator over the OpenAI SDK, against the engine.</summary>
public sealed class ExtensionsAiTests(TinyModels models) : IClassFixture<TinyModels>, IAsyncLifetime
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
    public async Task ExtensionsAiChatClientAnswersAndStreams()
    {
        IChatClient chat = ChatClient().AsIChatClient();

        var response = await chat.GetResponseAsync("Hello there", new ChatOptions { MaxOutputTokens = 8, Seed = 5 });
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Equal(Microsoft.Extensions.AI.ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(8, response.Usage?.OutputTokenCount);

        var streamed = new System.Text.StringBuilder();
        await foreach (var update in chat.GetStreamingResponseAsync("Hello there", new ChatOptions { MaxOutputTokens = 8, Seed = 5 }))
            streamed.Append(update.Text);
        Assert.Equal(response.Text, streamed.ToString());
    }

    [Fact]
    public async Task ExtensionsAiEmbeddingGeneratorEmbeds()
    {
        IEmbeddingGenerator<string, Embedding<float>> generator =
            new EmbeddingClient("embed", new ApiKeyCredential("not-needed"), Options(_embeddingEngine)).AsIEmbeddingGenerator();

        var embeddings = await generator.GenerateAsync(["alpha", "beta", "gamma"]);

        Assert.Equal(3, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(64, e.Vector.Length));
    }
}
