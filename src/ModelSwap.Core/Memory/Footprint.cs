namespace ModelSwap.Core.Memory;

/// <summary>
/// What a model needs while it runs, in bytes, split by what it is for and where it lives.
/// <see cref="GpuBytes"/> is the part on GPU memory (offloaded layers); the rest is system RAM.
/// </summary>
public sealed record Footprint(long WeightBytes, long KvCacheBytes, long ComputeBytes, long RuntimeBytes, long GpuBytes)
{
    public static readonly Footprint Zero = new(0, 0, 0, 0, 0);

    public long TotalBytes => WeightBytes + KvCacheBytes + ComputeBytes + RuntimeBytes;

    /// <summary>The part held in system RAM.</summary>
    public long RamBytes => TotalBytes - GpuBytes;

    /// <summary>The context the estimate was made for (tokens of KV cache in total), 0 when unknown.</summary>
    public long ContextTokens { get; init; }

    /// <summary>A declared or measured size with no breakdown.</summary>
    public static Footprint Flat(long bytes) => new(0, 0, 0, bytes, 0);

    public override string ToString() =>
        $"{ByteSize.Format(TotalBytes)} (weights {ByteSize.Format(WeightBytes)}, KV cache {ByteSize.Format(KvCacheBytes)}, compute {ByteSize.Format(ComputeBytes)}, runtime {ByteSize.Format(RuntimeBytes)}"
        + (GpuBytes > 0 ? $"; {ByteSize.Format(GpuBytes)} on GPU)" : ")");
}
