using System.Globalization;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Finds every process that belongs to a model server: its session (the server is started with
/// setsid, so its session id is its pid), and every descendant by parent pid, which also catches
/// children that left the session. Read from /proc on Linux; elsewhere only the root is known.
/// </summary>
internal static class ProcessTree
{
    /// <summary>
    /// One process as seen at a moment. <see cref="StartTime"/> (clock ticks since boot) tells a
    /// process apart from a later one that reuses its pid.
    /// </summary>
    internal readonly record struct Entry(int Pid, int ParentPid, int ProcessGroup, int Session, ulong StartTime, char State)
    {
        public bool IsAlive => State is not ('Z' or 'X' or 'x');
    }

    public static bool HasProcFs { get; } = OperatingSystem.IsLinux() && File.Exists("/proc/self/stat");

    /// <summary>The process now using <paramref name="pid"/>, or null.</summary>
    public static Entry? Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="pid"/> names a running (not zombie) process.</summary>
    public static bool IsAlive(int pid) => Read(pid) is { IsAlive: true };

    /// <summary>
    /// The living processes of session <paramref name="session"/> (when not null) plus every living
    /// descendant of <paramref name="rootPid"/>, the root included when alive.
    /// </summary>
    public static List<Entry> Family(int rootPid, int? session)
    {
        var all = ReadAll();
        var children = all.ToLookup(e => e.ParentPid);
        var found = new Dictionary<int, Entry>();
        foreach (var entry in all)
        {
            if ((entry.Pid == rootPid || (session is { } sid && entry.Session == sid)) && entry.IsAlive)
            {
                found.TryAdd(entry.Pid, entry);
            }
        }
        var queue = new Queue<int>([rootPid]);
        var seen = new HashSet<int> { rootPid };
        while (queue.Count > 0)
        {
            foreach (var child in children[queue.Dequeue()])
            {
                if (seen.Add(child.Pid))
                {
                    queue.Enqueue(child.Pid);
                    if (child.IsAlive)
                    {
                        found.TryAdd(child.Pid, child);
                    }
                }
            }
        }
        return [.. found.Values];
    }

    /// <summary>
    /// Signals each remembered process that still is the same process (same start time), so a pid
    /// reused since the snapshot is never hit. Returns how many were signalled.
    /// </summary>
    public static int Signal(IEnumerable<Entry> snapshot, int signal)
    {
        var count = 0;
        foreach (var entry in snapshot)
        {
            if (entry.Pid > 1 && Read(entry.Pid) is { IsAlive: true } now && now.StartTime == entry.StartTime
                && PosixNative.Kill(entry.Pid, signal))
            {
                count++;
            }
        }
        return count;
    }

    private static List<Entry> ReadAll()
    {
        var entries = new List<Entry>();
        if (!HasProcFs)
        {
            return entries;
        }
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir.AsSpan());
            if (name.Length > 0 && char.IsAsciiDigit(name[0])
                && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(pid) is { } entry)
            {
                entries.Add(entry);
            }
        }
        return entries;
    }

    /// <summary>Parses /proc/PID/stat: "pid (comm) state ppid pgrp session … starttime(22nd) …".</summary>
    internal static Entry? Parse(string stat)
    {
        // comm may hold spaces and parentheses, so fields are counted from the LAST ')'.
        var close = stat.LastIndexOf(')');
        var open = stat.IndexOf('(');
        if (close < 0 || open < 0 || !int.TryParse(stat.AsSpan(0, open).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so field N is fields[N - 3]; starttime is field 22.
        if (fields.Length < 20
            || !int.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ppid)
            || !int.TryParse(fields[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var pgrp)
            || !int.TryParse(fields[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var session)
            || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var startTime))
        {
            return null;
        }
        return new Entry(pid, ppid, pgrp, session, startTime, fields[0][0]);
    }
}
