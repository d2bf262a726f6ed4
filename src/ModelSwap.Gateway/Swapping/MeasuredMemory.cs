namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// A model server's measured memory: its process tree's resident RAM now and at its peak, and the GPU
/// memory its processes hold (null when no GPU tool reports it).
/// </summary>
internal sealed record MeasuredMemory(long ResidentBytes, long PeakResidentBytes, long? GpuBytes);
