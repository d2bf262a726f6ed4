namespace ModelSwap.Gateway.Processes;

/// <summary>
/// The machine's memory facts the budget needs: physical RAM (as .NET sees it, so a container's cgroup
/// limit counts) and the GPU found at startup.
/// </summary>
internal sealed class SystemMemory
{
    public SystemMemory(long physicalBytes, GpuProbe gpu)
    {
        PhysicalBytes = physicalBytes;
        Gpu = gpu;
    }

    public long PhysicalBytes { get; }

    public GpuProbe Gpu { get; }

    /// <summary>This machine: physical memory, and a GPU when nvidia-smi or rocm-smi answers.</summary>
    public static SystemMemory Detect() =>
        new(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, GpuProbe.Detect());
}
