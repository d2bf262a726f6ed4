using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ModelSwap.Cli.Service;

/// <summary>
/// Who holds a TCP port: tries to bind it, and when that fails finds the listening socket in
/// /proc/net/tcp{,6} and the process owning that socket's inode. Written here rather than taken from
/// a library because no NuGet package reads /proc for socket owners; `ss -p` may be missing.
/// </summary>
internal static class PortHolder
{
    /// <summary>Null when <paramref name="endpoint"/> can be bound; else a one-line reason naming the holder.</summary>
    public static string? WhyTaken(IPEndPoint endpoint)
    {
        if (endpoint.Port == 0 || CanBind(endpoint))
        {
            return null;
        }
        return Describe(endpoint.Port);
    }

    /// <summary>"port 8091 is in use by pid 1234 (python3)", or without the holder when it cannot be seen.</summary>
    public static string Describe(int port) => Find(port) is { } holder
        ? $"port {port} is in use by pid {holder.Pid} ({holder.Name})"
        : $"port {port} is in use (by a process this user cannot see)";

    public static bool CanBind(IPEndPoint endpoint)
    {
        try
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(endpoint);
            socket.Listen(1);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The process listening on <paramref name="port"/> (any address), when /proc tells.</summary>
    public static (int Pid, string Name)? Find(int port)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        var inodes = ListeningInodes(port);
        if (inodes.Count == 0)
        {
            return null;
        }
        foreach (var dir in SafeEnumerate("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            foreach (var fd in SafeEnumerate(Path.Combine(dir, "fd")))
            {
                string? target;
                try
                {
                    target = new FileInfo(fd).LinkTarget;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue;
                }
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                    && inodes.Contains(target["socket:[".Length..^1]))
                {
                    return (pid, ProcessName(pid));
                }
            }
        }
        return null;
    }

    public static string ProcessName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static HashSet<string> ListeningInodes(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(table);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var line in lines.Skip(1))
            {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == "0A" && fields[1].EndsWith(":" + hexPort, StringComparison.Ordinal))
                {
                    inodes.Add(fields[9]);
                }
            }
        }
        return inodes;
    }

    private static IEnumerable<string> SafeEnumerate(string dir)
    {
        try
        {
            return Directory.GetFileSystemEntries(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
