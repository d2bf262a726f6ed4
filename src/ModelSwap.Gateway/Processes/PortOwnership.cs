using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Who owns a model's port. Before a start: is the port free (else the start moves to a free one)?
/// During readiness (Linux): is the socket listening on it one of the started process tree's own
/// (its inode in /proc/net/tcp* is among the tree's /proc/PID/fd links)? A foreign listener is
/// never probed, so it never sees a request meant for the model.
/// </summary>
internal static partial class PortOwnership
{
    /// <summary>Programs whose port forwarders run outside the process tree they start (containers).</summary>
    private static readonly string[] Forwarders = ["docker", "podman", "nerdctl", "kubectl", "ssh"];

    /// <summary>True when nothing listens on the port (on any address) and 127.0.0.1:port can be bound.</summary>
    public static bool IsFree(int port) =>
        ListeningInodes(port) is not { Count: > 0 } && ConfigLoadOptions.IsLoopbackPortFree(port);

    /// <summary>A port the OS says is free now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The port whose ownership matters: the model's ${PORT} when its proxy is that loopback port.</summary>
    public static int? GuardedPort(ModelConfig model) =>
        model.Port is { } port && model.Proxy.Port == port && model.Proxy.IsLoopback
        && !Forwarders.Contains(Path.GetFileNameWithoutExtension(model.Command.FirstOrDefault() ?? ""), StringComparer.OrdinalIgnoreCase)
            ? port
            : null;

    /// <summary>The model with <paramref name="newPort"/> in place of its port, in its command and its proxy.</summary>
    public static ModelConfig Relocate(ModelConfig model, int newPort)
    {
        var old = model.Port!.Value.ToString(CultureInfo.InvariantCulture);
        var replacement = newPort.ToString(CultureInfo.InvariantCulture);
        var pattern = new Regex("(?<![0-9])" + old + "(?![0-9])", RegexOptions.CultureInvariant);
        return model with
        {
            Port = newPort,
            Command = [.. model.Command.Select(a => pattern.Replace(a, replacement))],
            Proxy = new UriBuilder(model.Proxy) { Port = newPort }.Uri,
        };
    }

    /// <summary>Whether one output line says the port could not be bound.</summary>
    public static bool SaysAddressInUse(string line) => AddressInUse().IsMatch(line);

    /// <summary>True when a process's last words say its port was taken.</summary>
    public static bool IsAddressInUse(ModelStartException error) =>
        error.LastLogLines.Append(error.Message).Any(line => AddressInUse().IsMatch(line));

    /// <summary>
    /// Null when the probe may go ahead (nothing listens yet, or the tree of <paramref name="pid"/>
    /// owns the listener); otherwise why not. Always null off Linux or for unguarded models.
    /// </summary>
    public static Func<string?>? GuardFor(ModelConfig model, Func<int?> pid)
    {
        if (!ProcessTree.HasProcFs || GuardedPort(model) is not { } port)
        {
            return null;
        }
        HashSet<long>? confirmed = null;
        return () =>
        {
            var listening = ListeningInodes(port);
            if (listening is not { Count: > 0 } || (confirmed is not null && listening.IsSubsetOf(confirmed)))
            {
                return null;
            }
            if (pid() is not { } root)
            {
                return $"port {port} is held by a process ModelSwap did not start";
            }
            var own = SocketInodes(root);
            if (listening.Overlaps(own))
            {
                confirmed = own;
                return null;
            }
            return $"port {port} is held by a process ModelSwap did not start; it is not probed";
        };
    }

    /// <summary>Inodes of sockets listening on the port (IPv4 and IPv6), or null without /proc.</summary>
    internal static HashSet<long>? ListeningInodes(int port)
    {
        if (!ProcessTree.HasProcFs)
        {
            return null;
        }
        var inodes = new HashSet<long>();
        var hexPort = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            try
            {
                foreach (var line in File.ReadLines(table).Skip(1))
                {
                    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                    var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length > 9 && fields[3] == "0A" && fields[1].EndsWith(hexPort, StringComparison.Ordinal)
                        && long.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out var inode) && inode != 0)
                    {
                        inodes.Add(inode);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return inodes;
    }

    /// <summary>Socket inodes held by the process tree of <paramref name="rootPid"/> (its session included).</summary>
    internal static HashSet<long> SocketInodes(int rootPid)
    {
        var inodes = new HashSet<long>();
        foreach (var process in ProcessTree.Family(rootPid, rootPid))
        {
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{process.Pid.ToString(CultureInfo.InvariantCulture)}/fd"))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal)
                        && long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
                    {
                        inodes.Add(inode);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return inodes;
    }

    [GeneratedRegex(@"address already in use|address in use|eaddrinuse|couldn't bind|could not bind|failed to bind", RegexOptions.IgnoreCase)]
    private static partial Regex AddressInUse();
}
