namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>Block geometry of each ggml type: how many elements a block holds and its size in bytes.</summary>
internal static class GgmlTypeSizes
{
    private const int QK = 256; // QK_K, the super-block of the k-quants and i-quants

    /// <summary>Elements per block and bytes per block, or null for a type this build does not know.</summary>
    public static (int BlockElements, int BlockBytes)? Of(GgmlType type) => type switch
    {
        GgmlType.F32 => (1, 4),
        GgmlType.F16 => (1, 2),
        GgmlType.Q4_0 => (32, 2 + 16),
        GgmlType.Q4_1 => (32, 4 + 16),
        GgmlType.Q5_0 => (32, 2 + 4 + 16),
        GgmlType.Q5_1 => (32, 4 + 4 + 16),
        GgmlType.Q8_0 => (32, 2 + 32),
        GgmlType.Q8_1 => (32, 4 + 32),
        GgmlType.Q2_K => (QK, QK / 16 + QK / 4 + 4),
        GgmlType.Q3_K => (QK, QK / 8 + QK / 4 + 12 + 2),
        GgmlType.Q4_K => (QK, 4 + 12 + QK / 2),
        GgmlType.Q5_K => (QK, 4 + 12 + QK / 8 + QK / 2),
        GgmlType.Q6_K => (QK, QK / 2 + QK / 4 + QK / 16 + 2),
        GgmlType.Q8_K => (QK, 4 + QK + QK / 8),
        GgmlType.IQ2_XXS => (QK, 2 + QK / 4),
        GgmlType.IQ2_XS => (QK, 2 + QK / 4 + QK / 32),
        GgmlType.IQ3_XXS => (QK, 2 + QK / 4 + QK / 8),
        GgmlType.IQ1_S => (QK, 2 + QK / 8 + QK / 16),
        GgmlType.IQ4_NL => (32, 2 + 16),
        GgmlType.IQ3_S => (QK, 2 + QK / 4 + QK / 8 + QK / 32 + 4),
        GgmlType.IQ2_S => (QK, 2 + QK / 4 + QK / 16),
        GgmlType.IQ4_XS => (QK, 2 + 2 + QK / 2 + QK / 64),
        GgmlType.I8 => (1, 1),
        GgmlType.I16 => (1, 2),
        GgmlType.I32 => (1, 4),
        GgmlType.I64 => (1, 8),
        GgmlType.F64 => (1, 8),
        GgmlType.IQ1_M => (QK, QK / 8 + QK / 16 + QK / 32),
        GgmlType.BF16 => (1, 2),
        GgmlType.TQ1_0 => (QK, 2 + 4 * 13),
        GgmlType.TQ2_0 => (QK, 2 + 64),
        GgmlType.MXFP4 => (32, 1 + 16),
        GgmlType.NVFP4 => (64, 4 + 32),
        _ => null,
    };

    /// <summary>
    /// Bytes a tensor of <paramref name="elements"/> elements occupies, or null when the type is
    /// unknown or the row length is not a whole number of blocks (llama.cpp rejects such tensors).
    /// </summary>
    public static long? ByteSize(GgmlType type, long firstDimension, long elements)
    {
        if (Of(type) is not var (blockElements, blockBytes))
        {
            return null;
        }
        if (firstDimension % blockElements != 0)
        {
            return null;
        }
        try
        {
            return checked(elements / blockElements * blockBytes);
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}
