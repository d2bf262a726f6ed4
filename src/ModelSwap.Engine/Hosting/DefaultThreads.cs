namespace ModelSwap.Engine.Hosting;

/// <summary>
/// The decode thread count when none is given: llama-server's own choice, the number of physical
/// cores (a hyper-threaded sibling adds no matrix throughput and slows the shared core), never more
/// than the CPUs this process may use.
/// </summary>
/// <remarks>
/// Kept at the core count though the only measurement so far favours 1: on the 2-core build machine
/// under load average ~45 (2026-11-30, `bash bench/run.sh engine --runs 3`), 2 threads ran 1.3 tok/s
/// (llama-server 2.9) against 46 tok/s at 1 thread (llama-server 50): ggml's threads spin at a barrier
/// per op while the other is descheduled. That is the shared machine, not the engine; llama-server
/// makes the same choice, and an idle machine has yet to be measured.
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
