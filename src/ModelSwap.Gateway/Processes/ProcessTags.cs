using System.Globalization;
using System.Text;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Environment variables every model server is started with, which its descendants inherit even
/// when they leave its session (setsid) or its parentage (a double fork): MODELSWAP_OWNER names this
/// ModelSwap, MODELSWAP_RUN one run of one server. A process that carries the tag is found by reading
/// /proc/PID/environ (the environment it was exec'd with), so strays are found however they escaped.
/// Chosen over a child subreaper (which only helps while ModelSwap lives, and the reaper is no
/// ancestor of the servers). Where a cgroup can be made (<see cref="ModelCgroup"/>), it tracks the
/// servers too and also holds a descendant that cleared its environment; this tag is the fallback.
/// </summary>
internal static class ProcessTags
{
    public const string OwnerVariable = "MODELSWAP_OWNER";
    public const string RunVariable = "MODELSWAP_RUN";

    private static int s_runs;

    /// <summary>This ModelSwap: pid and start time, so a later process reusing the pid never matches.</summary>
    public static string Owner { get; } = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "."
        + (ProcessTree.Read(Environment.ProcessId)?.StartTime ?? (ulong)Environment.TickCount64).ToString(CultureInfo.InvariantCulture);

    /// <summary>A new tag for one run of a model server.</summary>
    public static string NewRun() => Owner + "." + Interlocked.Increment(ref s_runs).ToString(CultureInfo.InvariantCulture);

    /// <summary>Living processes whose environment holds <paramref name="variable"/>=<paramref name="value"/>.</summary>
    public static List<ProcessTree.Entry> Find(string variable, string value)
    {
        var found = new List<ProcessTree.Entry>();
        if (!ProcessTree.HasProcFs)
        {
            return found;
        }
        var wanted = Encoding.UTF8.GetBytes(variable + "=" + value);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0])
                || !int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }
            if (Holds(dir, wanted) && ProcessTree.Read(pid) is { IsAlive: true } entry)
            {
                found.Add(entry);
            }
        }
        return found;
    }

    private static bool Holds(string procDir, byte[] wanted)
    {
        byte[] environ;
        try
        {
            environ = File.ReadAllBytes(Path.Combine(procDir, "environ"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        foreach (var range in environ.AsSpan().Split((byte)0))
        {
            if (environ.AsSpan(range).SequenceEqual(wanted))
            {
                return true;
            }
        }
        return false;
    }
}
