using ModelSwap.Core.Catalog;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Testing;

namespace ModelSwap.Core.Tests.Catalog;

/// <summary>What the scanner reads for embedders and rerankers: pooling, classification heads, aliases.</summary>
public sealed class RerankerScanTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("modelswap-rerank-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Rerankers_embedders_and_their_pooling_are_told_apart()
    {
        void Write(string file, TinyModelOptions options)
        {
            var path = Path.Combine(_root, file);
            TinyModelBuilder.Write(path, options);
            SmallGguf.Age(path);
        }
        Write("acme-reranker.gguf", new TinyModelOptions { Reranker = true });
        Write("acme-embed-cls.gguf", new TinyModelOptions { Embedding = true, Pooling = PoolingType.Cls });
        Write("acme-chat-instruct.gguf", new TinyModelOptions());
        var models = new ModelScanner(new ModelScannerOptions { Directories = [_root], SettleTime = TimeSpan.Zero }).Scan().Models
            .ToDictionary(m => Path.GetFileName(m.Path));

        var reranker = models["acme-reranker.gguf"];
        Assert.True(reranker.IsReranker);
        Assert.True(reranker.IsEmbedding);
        Assert.Equal(PoolingType.Rank, reranker.Pooling);
        Assert.Equal("qwen3", reranker.Architecture);
        Assert.Equal([AliasRules.Rerank, AliasRules.RerankEnglish], reranker.Aliases.ToArray());

        var embed = models["acme-embed-cls.gguf"];
        Assert.False(embed.IsReranker);
        Assert.Equal(PoolingType.Cls, embed.Pooling);
        Assert.Contains(AliasRules.EmbeddingAda, embed.Aliases);

        Assert.Null(models["acme-chat-instruct.gguf"].Pooling);
        Assert.False(models["acme-chat-instruct.gguf"].IsReranker);
    }
}
