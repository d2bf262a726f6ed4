using System.Globalization;

namespace ModelSwap.Bench.Gateway;

/// <summary>CPU time a process and its descendants have used, read from /proc (Linux).</summary>
internal static class ProcessCpu
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static TimeSpan Of(int pid)
    {
        var total = 0L;
        foreach (var id in SelfAndDescendants(pid))
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{id}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // utime and stime are fields 14 and 15 of the full line: 12 and 13 after the command.
                total += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }
        return TimeSpan.FromSeconds(total / TicksPerSecond);
    }

    private static IEnumerable<int> SelfAndDescendants(int pid)
    {
        yield return pid;
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (IOException)
        {
            yield break;
        }
        foreach (var task in tasks)
        {
            string children;
            try
            {
                children = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (IOException)
            {
                continue;
            }
            foreach (var child in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (var id in SelfAndDescendants(int.Parse(child, CultureInfo.InvariantCulture)))
                {
                    yield return id;
                }
            }
        }
    }
}
