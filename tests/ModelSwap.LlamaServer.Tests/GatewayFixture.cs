using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.LlamaServer.Tests;

/// <summary>
/// One ModelSwap serving four generated models with the real llama-server: two chat models (the
/// first drafting for itself, the second with a 1 s TTL), a mean-pooled embedder and a reranker.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string ChatA = "alpha-chat.gguf";
    public const string ChatB = "beta-chat.gguf";
    public const string Embed = "gamma-embed.gguf";
    public const string Reranker = "delta-reranker.gguf";

    internal ModelSwapServe Serve { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Serve = await ModelSwapServe.StartAsync(s =>
        {
            s.AddModel(ChatA, new TinyModelOptions { Seed = 1 });
            s.AddModel(ChatB, new TinyModelOptions { Seed = 2 });
            s.AddModel(Embed, new TinyModelOptions { Embedding = true, Seed = 3 });
            s.AddModel(Reranker, new TinyModelOptions { Reranker = true, Seed = 4 });
        }, """
            models:
              "alpha:chat":
                draft: "alpha:chat"
              "beta:chat":
                ttl: 1
            """);
    }

    public async Task DisposeAsync() => await Serve.DisposeAsync();
}
