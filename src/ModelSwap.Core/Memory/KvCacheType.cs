namespace ModelSwap.Core.Memory;

/// <summary>Bytes per cached element for llama.cpp's KV cache types (<c>--cache-type-k/-v</c>).</summary>
internal static class KvCacheType
{
    public const string Default = "f16";

    /// <summary>Bytes per element, block scales included (q8_0: 34 bytes per 32), or null for an unknown type.</summary>
    public static double? BytesPerElement(string? type) => (type ?? Default).ToLowerInvariant() switch
    {
        "f32" => 4,
        "f16" or "bf16" => 2,
        "q8_0" => 34.0 / 32,
        "q5_1" => 24.0 / 32,
        "q5_0" => 22.0 / 32,
        "q4_1" => 20.0 / 32,
        "q4_0" or "iq4_nl" => 18.0 / 32,
        _ => null,
    };
}
