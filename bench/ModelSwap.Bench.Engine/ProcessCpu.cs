using System.Globalization;

namespace ModelSwap.Bench.Engine;

/// <summary>
/// CPU time a process has run so far, summed over its threads from /proc/PID/task/*/schedstat
/// (nanoseconds). On a shared, loaded machine wall time mostly measures the scheduler's share; CPU
/// time per generated token is the work each server really does (spinning workers included).
/// </summary>
internal static class ProcessCpu
{
    public static double? Milliseconds(int pid)
    {
        var tasks = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task";
        if (!Directory.Exists(tasks))
            return null;
        long total = 0;
        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                total += long.Parse(fields[0], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
            {
                // a thread that ended between the listing and the read
            }
        }
        return total / 1e6;
    }
}
