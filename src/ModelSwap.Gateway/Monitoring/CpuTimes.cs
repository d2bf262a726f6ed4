using System.Globalization;

namespace ModelSwap.Gateway.Monitoring;

/// <summary>
/// CPU time used by a process (user + system, /proc/PID/stat fields 14 and 15). The kernel counts in
/// clock ticks of USER_HZ, which is 100 on every Linux ABI .NET runs on.
/// </summary>
internal static class CpuTimes
{
    private const double TicksPerSecond = 100;

    /// <summary>The process's CPU time so far; null when it is gone or /proc cannot tell.</summary>
    public static TimeSpan? Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>utime + stime of a /proc/PID/stat line; counted from the last ')' since the command name may hold spaces.</summary>
    internal static TimeSpan? Parse(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state): utime (14) is fields[11], stime (15) fields[12].
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
        {
            return null;
        }
        return TimeSpan.FromSeconds((user + system) / TicksPerSecond);
    }
}
