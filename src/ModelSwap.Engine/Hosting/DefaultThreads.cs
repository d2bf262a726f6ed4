namespace ModelSwap.Engine.Hosting;

/// <summary>
/// The decode thread count when none is given: llama-server's own choice, the number of physical
/// cores (a hyper-threaded sibling adds no matrix throughput and slows the shared core), never more
/// than the CPUs this process may use.
/// </summary>
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
