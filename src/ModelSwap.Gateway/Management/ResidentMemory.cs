using System.Globalization;
using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Management;

/// <summary>
/// Resident memory of a model server's whole process tree (a wrapper script's real server and its
/// workers count too), from <c>/proc/PID/statm</c>; null where there is no /proc.
/// </summary>
internal static class ResidentMemory
{
    public static long? OfTree(int rootPid)
    {
        if (!ProcessTree.HasProcFs)
        {
            return null;
        }
        long total = 0;
        var any = false;
        foreach (var entry in ProcessTree.Family(rootPid, session: null))
        {
            if (Of(entry.Pid) is { } bytes)
            {
                total += bytes;
                any = true;
            }
        }
        return any ? total : null;
    }

    private static long? Of(int pid)
    {
        try
        {
            // statm: size resident shared … in pages.
            var fields = File.ReadAllText($"/proc/{pid}/statm").Split(' ');
            return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages)
                ? pages * Environment.SystemPageSize
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // the process ended between listing and reading
        }
    }
}
