namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>
/// Bounds that keep a hostile or corrupt header from making the reader allocate or loop without
/// end. Defaults are far above any real model (Llama 3 has ~30 keys, a 256k-token vocabulary and
/// headers around 10 MB) yet small enough to keep memory bounded.
/// </summary>
public sealed record GgufReadLimits
{
    public static GgufReadLimits Default { get; } = new();

    public long MaxKeyValueCount { get; init; } = 65_536;
    public long MaxTensorCount { get; init; } = 1_048_576;
    public long MaxArrayLength { get; init; } = 16_777_216;
    /// <summary>Longest string in bytes (chat templates are the longest real ones, tens of KB).</summary>
    public long MaxStringLength { get; init; } = 16 * 1024 * 1024;
    /// <summary>Most header bytes read before giving up: metadata plus tensor infos.</summary>
    public long MaxHeaderBytes { get; init; } = 256L * 1024 * 1024;
    /// <summary>Deepest nesting of arrays inside arrays.</summary>
    public int MaxArrayDepth { get; init; } = 8;

    /// <summary>
    /// Arrays with more items than this are read past (still checked for truncation) but not kept,
    /// see <see cref="GgufArray.OmittedCount"/>. A scan needs no vocabulary, and building 150k token
    /// strings per file is most of a header's reading time. Null keeps every array.
    /// </summary>
    public long? KeepArraysUpTo { get; init; }
}
