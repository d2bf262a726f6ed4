using System.Globalization;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Reads the memory of a process and all its descendants from /proc (Linux): VmRSS, VmHWM and RssFile
/// from /proc/PID/status, and rchar / read_bytes from /proc/PID/io. Elsewhere the tree reads as empty.
/// </summary>
internal static class ProcessMemory
{
    public static TreeMemory ReadTree(int rootPid)
    {
        if (!ProcessTree.HasProcFs)
        {
            return default;
        }
        long rss = 0, peak = 0, file = 0, read = 0;
        var count = 0;
        foreach (var entry in ProcessTree.Family(rootPid, session: null))
        {
            var pid = entry.Pid.ToString(CultureInfo.InvariantCulture);
            if (TryReadStatus($"/proc/{pid}/status", out var status))
            {
                rss += status.Rss;
                peak += Math.Max(status.Peak, status.Rss);
                file += status.File;
                count++;
            }
            read += ReadIo($"/proc/{pid}/io");
        }
        return new TreeMemory(rss, peak, file, read, count);
    }

    /// <summary>Parses the kB lines of /proc/PID/status that matter here.</summary>
    internal static bool TryParseStatus(string text, out (long Rss, long Peak, long File) values)
    {
        values = default;
        var found = false;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("VmRSS:"))
            {
                values.Rss = Kilobytes(line);
                found = true;
            }
            else if (line.StartsWith("VmHWM:"))
            {
                values.Peak = Kilobytes(line);
            }
            else if (line.StartsWith("RssFile:"))
            {
                values.File = Kilobytes(line);
            }
        }
        return found;
    }

    /// <summary>
    /// Bytes the process read from files: the larger of rchar (read() calls, page cache included) and
    /// read_bytes (fetched from storage, mmap faults included). /proc/PID/io is readable only by the
    /// process's owner; anything unreadable counts as 0.
    /// </summary>
    internal static long ParseIo(string text)
    {
        long rchar = 0, readBytes = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("rchar:"))
            {
                rchar = Number(line["rchar:".Length..]);
            }
            else if (line.StartsWith("read_bytes:"))
            {
                readBytes = Number(line["read_bytes:".Length..]);
            }
        }
        return Math.Max(rchar, readBytes);
    }

    private static bool TryReadStatus(string path, out (long Rss, long Peak, long File) values)
    {
        values = default;
        try
        {
            return TryParseStatus(File.ReadAllText(path), out values);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long ReadIo(string path)
    {
        try
        {
            return ParseIo(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static long Kilobytes(ReadOnlySpan<char> line)
    {
        var colon = line.IndexOf(':');
        var rest = line[(colon + 1)..].Trim();
        var space = rest.IndexOf(' ');
        return Number(space < 0 ? rest : rest[..space]) * 1024;
    }

    private static long Number(ReadOnlySpan<char> text) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
