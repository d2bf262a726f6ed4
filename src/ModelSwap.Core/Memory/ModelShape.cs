using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Core.Memory;

/// <summary>
/// The facts of a model's GGUF headers that decide its memory: the tensors' bytes (every split part
/// plus the projector) and the attention geometry that sizes the KV cache.
/// </summary>
public sealed record ModelShape
{
    public string? Architecture { get; init; }
    /// <summary>Bytes of every tensor of the model, all split parts.</summary>
    public long WeightBytes { get; init; }
    /// <summary>Bytes of the vision projector's tensors (mmproj), 0 without one.</summary>
    public long ProjectorBytes { get; init; }
    public int LayerCount { get; init; }
    /// <summary>Sum over layers of the KV heads (layers may differ); n_layer × n_head_kv when uniform.</summary>
    public long KvHeadsAllLayers { get; init; }
    public int HeadCount { get; init; }
    public int KeyLength { get; init; }
    public int ValueLength { get; init; }
    public int EmbeddingLength { get; init; }
    public int VocabularySize { get; init; }
    /// <summary>The context the model was trained with; 0 when the header does not say.</summary>
    public long TrainedContext { get; init; }
    public bool IsEmbedding { get; init; }

    /// <summary>Bytes of KV cache per token of context for the given cache types.</summary>
    public double KvBytesPerToken(string? cacheTypeK, string? cacheTypeV) =>
        KvHeadsAllLayers * (KeyLength * (KvCacheType.BytesPerElement(cacheTypeK) ?? 2) + ValueLength * (KvCacheType.BytesPerElement(cacheTypeV) ?? 2));

    /// <summary>Reads the shape from the first (or only) part's header, summing tensors over every part and the projector.</summary>
    public static ModelShape From(GgufFile main, IEnumerable<GgufFile> otherParts, GgufFile? projector)
    {
        ArgumentNullException.ThrowIfNull(main);
        ArgumentNullException.ThrowIfNull(otherParts);
        var arch = main.Architecture ?? "llama";
        var layers = (int)(main.GetUInt64($"{arch}.block_count") ?? 0);
        var embedding = (int)(main.GetUInt64($"{arch}.embedding_length") ?? 0);
        var heads = PerLayer(main, $"{arch}.attention.head_count", layers);
        var kvHeads = main.Get($"{arch}.attention.head_count_kv") is null
            ? heads
            : PerLayer(main, $"{arch}.attention.head_count_kv", layers);
        var headCount = layers > 0 && heads.Sum > 0 ? (int)(heads.Sum / layers) : 0;
        var headDim = headCount > 0 ? embedding / headCount : 0;
        var vocabulary = (int)(main.GetUInt64($"{arch}.vocab_size")
            ?? (ulong)(main.GetArray("tokenizer.ggml.tokens") is { } tokens ? Math.Max(tokens.Count, tokens.OmittedCount) : 0));
        if (vocabulary == 0 && main.Tensors.FirstOrDefault(t => t.Name == "token_embd.weight") is { Dimensions.Count: 2 } embd)
        {
            vocabulary = (int)embd.Dimensions[1];
        }
        var weights = main.TensorDataBytes + otherParts.Sum(p => p.TensorDataBytes);
        return new ModelShape
        {
            Architecture = main.Architecture,
            WeightBytes = weights,
            ProjectorBytes = projector?.TensorDataBytes ?? 0,
            LayerCount = layers,
            KvHeadsAllLayers = kvHeads.Sum,
            HeadCount = headCount,
            KeyLength = (int)(main.GetUInt64($"{arch}.attention.key_length") ?? (ulong)headDim),
            ValueLength = (int)(main.GetUInt64($"{arch}.attention.value_length") ?? (ulong)headDim),
            EmbeddingLength = embedding,
            VocabularySize = vocabulary,
            TrainedContext = (long)(main.GetUInt64($"{arch}.context_length") ?? 0),
            IsEmbedding = main.Get($"{arch}.pooling_type") is not null || arch is "bert" or "nomic-bert" or "jina-bert-v2" or "t5encoder",
        };
    }

    /// <summary>A per-layer count stored either as one number or as an array with one entry per layer.</summary>
    private static (long Sum, int Layers) PerLayer(GgufFile file, string key, int layers)
    {
        if (file.GetArray(key) is { } array)
        {
            long sum = 0;
            for (var i = 0; i < array.Count; i++)
            {
                sum += (long)(array[i].AsUInt64() ?? 0);
            }
            return (sum, array.Count);
        }
        return ((long)(file.GetUInt64(key) ?? 0) * layers, layers);
    }
}
