namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>What <see cref="TinyModelBuilder"/> writes. The same options always give the same bytes.</summary>
internal sealed record TinyModelOptions
{
    public TinyModelSize Size { get; init; } = TinyModelSize.Tiny;

    /// <summary>
    /// Blocks to write; null means the size's own count. Every tensor's values depend only on the
    /// seed and the tensor's name, so fewer layers than the size has give a truncated copy of the
    /// full model: the same embedding, output and first blocks (a draft that mostly agrees with it).
    /// </summary>
    public int? Layers { get; init; }

    /// <summary>Seeds every weight; different seeds give different (equally random) models.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// An embedding model: <c>llama.pooling_type</c> 1 (mean) and no chat template, which is how a
    /// scanner tells it from a chat model. llama.cpp embeds with it when the context asks for
    /// embeddings (LLamaSharp: <c>Embeddings = true</c>, <c>PoolingType = Mean</c>).
    /// </summary>
    public bool Embedding { get; init; }

    /// <summary>
    /// The pooling to declare in <c>llama.pooling_type</c>; null means mean for an embedding model and
    /// none for a chat model. With <see cref="Embedding"/> this picks CLS or LAST pooling.
    /// </summary>
    public PoolingType? Pooling { get; init; }

    /// <summary>False writes no <c>pooling_type</c> key at all, as some converted embedding models lack it.</summary>
    public bool DeclarePooling { get; init; } = true;

    /// <summary>
    /// A reranker shaped like Qwen3-Reranker: architecture <c>qwen3</c>, rank pooling, classifier
    /// labels <c>yes</c>/<c>no</c> and a <c>cls.output</c> head, which llama-server serves with
    /// <c>--reranking</c>.
    /// </summary>
    public bool Reranker { get; init; }

    /// <summary><c>general.name</c> and <c>general.basename</c>; default <c>tiny-llama</c> or <c>tiny-embed</c>.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// <c>tokenizer.chat_template</c>. Null means ChatML for a chat model and none for an embedding
    /// model; an empty string writes no template.
    /// </summary>
    public string? ChatTemplate { get; init; }

    /// <summary><c>llama.context_length</c>, the trained context.</summary>
    public int ContextLength { get; init; } = 4096;

    /// <summary>Matrix encoding, F32 or F16; null means F32 for Tiny and F16 for Bench. Norms are always F32.</summary>
    public GgmlType? MatrixType { get; init; }

    /// <summary>
    /// Keeps generation to ordinary word pieces: control tokens (bos, eos, ChatML markers) and byte
    /// tokens get logits near -60, so random weights never end a reply early or emit broken UTF-8.
    /// Ignored for embedding models.
    /// </summary>
    public bool SuppressSpecialTokens { get; init; } = true;

    /// <summary>
    /// Adds fill-in-the-middle markers (<c>&lt;|fim_prefix|&gt;</c>, <c>&lt;|fim_suffix|&gt;</c>,
    /// <c>&lt;|fim_middle|&gt;</c>) to the vocabulary and declares them under these keys, so
    /// llama-server's and the engine's /infill accept the model.
    /// </summary>
    public FimTokenKeys FillInTheMiddle { get; init; } = FimTokenKeys.None;

    /// <summary>Extra metadata written last, replacing any key of the same name (e.g. <c>general.size_label</c> for naming tests).</summary>
    public IReadOnlyList<KeyValuePair<string, GgufValue>> ExtraMetadata { get; init; } = [];
}
