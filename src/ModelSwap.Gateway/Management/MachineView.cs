namespace ModelSwap.Gateway.Management;

/// <summary>The machine the service runs on.</summary>
/// <param name="MemoryBytes">Physical memory available to the process (the cgroup limit when lower).</param>
public sealed record MachineView(int Cores, long MemoryBytes, string Os);
