namespace ModelSwap.Engine.Hosting;

/// <summary>
/// The decode thread count when none is given: llama-server's own choice, the number of physical
/// cores (a hyper-threaded sibling adds no matrix throughput and slows the shared core), never more
/// than the CPUs this process may use.
/// </summary>
/// <remarks>
/// The core count is the fastest choice measured here: on the 2-core build machine, quiet (load average
/// ~2, 2026-11-30, `bash bench/run.sh engine`, 5 runs each, medians of runs that swing ±10 %), 1 thread
/// decodes ~170-190 tok/s and 2 threads ~285 tok/s (llama-server likewise: 175 and 269-281, its own
/// default also 2). Only under heavy load (load average ~45, other builds on both cores) does 1 thread win,
/// because ggml's threads spin at a barrier per op while the other is descheduled; that is the shared
/// machine, not the engine, and llama-server makes the same choice.
/// </remarks>
internal static class DefaultThreads
{
    public static int ForThisMachine() => Math.Clamp(PhysicalCores(new DirectoryInfo("/sys/devices/system/cpu")) ?? Environment.ProcessorCount, 1, Environment.ProcessorCount);

    /// <summary>Distinct sibling sets under <paramref name="cpuRoot"/> (Linux sysfs), as llama.cpp counts them; null when unknown.</summary>
    internal static int? PhysicalCores(DirectoryInfo cpuRoot)
    {
        var cores = new HashSet<string>(StringComparer.Ordinal);
        for (var cpu = 0; ; cpu++)
        {
            var siblings = Path.Combine(cpuRoot.FullName, $"cpu{cpu}", "topology", "thread_siblings");
            string text;
            try
            {
                text = File.ReadAllText(siblings).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                break;
            }
            cores.Add(text);
        }
        return cores.Count > 0 ? cores.Count : null;
    }
}
