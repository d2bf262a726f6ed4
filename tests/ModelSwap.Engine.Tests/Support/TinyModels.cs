using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Engine.Tests.Support;

/// <summary>Generated tiny models in a temp dir, shared by one test class and deleted after it.</summary>
public sealed class TinyModels : IDisposable
{
    public TinyModels()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("modelswap-engine-tests-").FullName;
        Chat = Path.Combine(Directory, "tiny-chat.gguf");
        Embedding = Path.Combine(Directory, "tiny-embed.gguf");
        Reranker = Path.Combine(Directory, "tiny-reranker.gguf");
        TinyModelBuilder.Write(Chat, new TinyModelOptions { Seed = 11 });
        TinyModelBuilder.Write(Embedding, new TinyModelOptions { Seed = 12, Embedding = true });
        TinyModelBuilder.Write(Reranker, new TinyModelOptions { Seed = 13, Reranker = true });
    }

    public string Directory { get; }

    /// <summary>A chat model with the ChatML template; it never emits its end token, so replies run to max_tokens.</summary>
    public string Chat { get; }

    /// <summary>A mean-pooled embedding model, 64 dimensions.</summary>
    public string Embedding { get; }

    /// <summary>A Qwen3-shaped reranker (rank pooling, yes/no head): scores are probabilities.</summary>
    public string Reranker { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
