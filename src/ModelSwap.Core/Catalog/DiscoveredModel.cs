using System.Collections.Immutable;

namespace ModelSwap.Core.Catalog;

/// <summary>A model found on disk: its files and the facts read from its GGUF header.</summary>
public sealed record DiscoveredModel
{
    /// <summary>The served model id, e.g. <c>llama3.2:1b-instruct</c>.</summary>
    public required string Name { get; init; }
    /// <summary>The file to load: the single file, or the first part of a split model.</summary>
    public required string Path { get; init; }
    /// <summary>Every file of the model (all split parts), sorted.</summary>
    public ImmutableArray<string> Files { get; init; } = [];
    /// <summary>A paired vision projector (mmproj), if any.</summary>
    public string? ProjectorPath { get; init; }
    public long SizeBytes { get; init; }
    public string? Architecture { get; init; }
    public long? ParameterCount { get; init; }
    public string? Quantization { get; init; }
    /// <summary>The context length the model was trained with.</summary>
    public long? ContextLength { get; init; }
    public bool IsEmbedding { get; init; }
    /// <summary>The pooling the GGUF declares; null when it declares none (llama-server then needs <c>--pooling</c>).</summary>
    public PoolingType? Pooling { get; init; }
    /// <summary>A reranker (rank pooling or a classification head): served with <c>--reranking</c> on <c>/v1/rerank</c>.</summary>
    public bool IsReranker { get; init; }
    /// <summary>The tokenizer's signature, for pairing draft models; null when the GGUF has no vocabulary.</summary>
    public TokenizerSignature? Tokenizer { get; init; }
    public bool HasChatTemplate { get; init; }
    /// <summary>An instruction-tuned or chat model (by name or finetune metadata).</summary>
    public bool IsInstruct { get; init; }
    /// <summary>When the file appeared (its modification time): the alias rules prefer the newest.</summary>
    public DateTimeOffset AddedAt { get; init; }
    /// <summary>general.name from the header, shown as the model's display name.</summary>
    public string? DisplayName { get; init; }
    public string? Description { get; init; }
    /// <summary>OpenAI-style aliases assigned to this model.</summary>
    public ImmutableArray<string> Aliases { get; init; } = [];
}
