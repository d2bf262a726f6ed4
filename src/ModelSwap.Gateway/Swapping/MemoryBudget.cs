namespace ModelSwap.Gateway.Swapping;

/// <summary>What all running models may use together: RAM, and GPU memory when a GPU was found (else null).</summary>
internal readonly record struct MemoryBudget(long RamBytes, long? GpuBytes);
