namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>The hyperparameters behind each <see cref="TinyModelSize"/>.</summary>
internal sealed record TinyModelShape(int Embedding, int Layers, int Vocabulary, int FeedForward, int Heads, int KvHeads)
{
    public int HeadDimension => Embedding / Heads;

    public long ParameterCount
    {
        get
        {
            long kv = KvHeads * HeadDimension;
            long perLayer = 2L * Embedding * Embedding + 2L * Embedding * kv + 3L * Embedding * FeedForward + 2L * Embedding;
            return 2L * Embedding * Vocabulary + Embedding + Layers * perLayer;
        }
    }

    public static TinyModelShape For(TinyModelSize size) => size switch
    {
        TinyModelSize.Tiny => new(Embedding: 64, Layers: 2, Vocabulary: 512, FeedForward: 192, Heads: 4, KvHeads: 2),
        TinyModelSize.Bench => new(Embedding: 512, Layers: 8, Vocabulary: 32000, FeedForward: 2048, Heads: 8, KvHeads: 8),
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "Unknown tiny model size."),
    };
}
