namespace ModelSwap.Gateway.Swapping;

/// <summary>Bytes of system RAM and of GPU memory (VRAM) a model needs or holds.</summary>
internal readonly record struct MemoryNeed(long RamBytes, long GpuBytes)
{
    public static MemoryNeed operator +(MemoryNeed a, MemoryNeed b) => new(a.RamBytes + b.RamBytes, a.GpuBytes + b.GpuBytes);

    public static MemoryNeed operator -(MemoryNeed a, MemoryNeed b) => new(a.RamBytes - b.RamBytes, a.GpuBytes - b.GpuBytes);

    public long TotalBytes => RamBytes + GpuBytes;

    /// <summary>True when this fits in <paramref name="budget"/> (a GPU need with no GPU budget never fits).</summary>
    public bool FitsIn(MemoryBudget budget) =>
        RamBytes <= budget.RamBytes && GpuBytes <= (budget.GpuBytes ?? 0);
}
