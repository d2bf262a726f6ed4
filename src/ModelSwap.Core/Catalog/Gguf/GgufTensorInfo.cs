namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>
/// One tensor's header entry. <see cref="Dimensions"/> are in ggml order (fastest-varying first),
/// so <c>token_embd.weight</c> is [n_embd, n_vocab]. <see cref="Offset"/> is relative to
/// <see cref="GgufFile.DataOffset"/>.
/// </summary>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<long> Dimensions, GgmlType Type, ulong Offset)
{
    /// <summary>Product of the dimensions (1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var d in Dimensions)
            {
                count = checked(count * d);
            }
            return count;
        }
    }

    /// <summary>Bytes of tensor data, or null for a ggml type this build does not know.</summary>
    public long? ByteSize => GgmlTypeSizes.ByteSize(Type, Dimensions.Count > 0 ? Dimensions[0] : 1, ElementCount);

    public bool Equals(GgufTensorInfo? other) =>
        other is not null && Name == other.Name && Type == other.Type && Offset == other.Offset && Dimensions.SequenceEqual(other.Dimensions);

    public override int GetHashCode() => HashCode.Combine(Name, Type, Offset, Dimensions.Count);
}
