namespace ModelSwap.Core.Catalog;

/// <summary>
/// The pooling an embedding model family documents, for GGUFs that declare none (without one,
/// llama-server would return a vector per token). A pooling the GGUF declares always wins and is
/// never passed on the command line: llama-server then uses it as the built-in engine does.
/// </summary>
internal static class PoolingDefaults
{
    // By the model card of each family: BGE, mxbai and Arctic Embed take the [CLS] token; Qwen3 and
    // GTE-Qwen embeddings the last token; sentence-transformers (MiniLM, mpnet), E5, GTE, Nomic and
    // Jina average over tokens.
    private static readonly (string Word, PoolingType Pooling)[] ByName =
    [
        ("bge", PoolingType.Cls),
        ("mxbai", PoolingType.Cls),
        ("arctic", PoolingType.Cls),
        ("qwen", PoolingType.Last),
        ("e5", PoolingType.Mean),
        ("gte", PoolingType.Mean),
        ("nomic", PoolingType.Mean),
        ("jina", PoolingType.Mean),
        ("minilm", PoolingType.Mean),
        ("mpnet", PoolingType.Mean),
    ];

    /// <summary>The pooling to pass with <c>--pooling</c>, or null when the GGUF declares its own.</summary>
    public static PoolingType? ToPass(DiscoveredModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Pooling is not null)
        {
            return null;
        }
        var name = (model.Name + " " + Path.GetFileName(model.Path)).ToLowerInvariant();
        foreach (var (word, pooling) in ByName)
        {
            if (name.Contains(word, StringComparison.Ordinal))
            {
                return pooling;
            }
        }
        // Decoder models embed with their last token (causal attention: only it has seen every token).
        return model.Architecture is { } arch && (arch.StartsWith("qwen", StringComparison.Ordinal) || arch is "llama" or "mistral" or "gemma3")
            ? PoolingType.Last
            : PoolingType.Mean;
    }

    /// <summary>llama-server's spelling: none, mean, cls, last, rank.</summary>
    public static string FlagValue(PoolingType pooling) => pooling.ToString().ToLowerInvariant();
}
