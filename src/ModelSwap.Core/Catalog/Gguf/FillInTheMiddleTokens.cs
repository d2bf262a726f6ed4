namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>
/// The three token ids a model needs to fill in the middle (prefix, suffix, middle), as its GGUF
/// declares them: today's <c>tokenizer.ggml.fim_*_token_id</c> keys, else the older
/// <c>prefix/suffix/middle_token_id</c> ones (llama.cpp reads both). /api/show's <c>insert</c>
/// capability and the gateway's check before a <c>suffix</c> request both ask this one place.
/// </summary>
public sealed record FillInTheMiddleTokens(long Prefix, long Suffix, long Middle)
{
    public static readonly IReadOnlyList<string> CurrentKeys =
        ["tokenizer.ggml.fim_pre_token_id", "tokenizer.ggml.fim_suf_token_id", "tokenizer.ggml.fim_mid_token_id"];

    public static readonly IReadOnlyList<string> LegacyKeys =
        ["tokenizer.ggml.prefix_token_id", "tokenizer.ggml.suffix_token_id", "tokenizer.ggml.middle_token_id"];

    /// <summary>The declared tokens; null when any of the three is missing (such a model cannot fill in the middle).</summary>
    public static FillInTheMiddleTokens? From(GgufFile header)
    {
        ArgumentNullException.ThrowIfNull(header);
        long? Id(int role) => Valid(header, CurrentKeys[role]) ?? Valid(header, LegacyKeys[role]);
        return Id(0) is { } prefix && Id(1) is { } suffix && Id(2) is { } middle
            ? new FillInTheMiddleTokens(prefix, suffix, middle)
            : null;
    }

    // llama.cpp writes -1 (or leaves the key out) for "none"; a negative id declares nothing.
    private static long? Valid(GgufFile header, string key) => header.GetInt64(key) is { } id && id >= 0 ? id : null;
}
