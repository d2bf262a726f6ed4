using System.Net;
using System.Net.Sockets;

namespace ModelSwap.Core.Configuration;

/// <summary>The outside world a config load consults: environment variables and free ports.</summary>
public sealed record ConfigLoadOptions
{
    public static ConfigLoadOptions Default { get; } = new();

    /// <summary>Resolves <c>${env.NAME}</c>; null means "not set", which is an error.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Whether <c>${PORT}</c> may be assigned this port; taken ports are skipped.</summary>
    public Func<int, bool> IsPortFree { get; init; } = IsLoopbackPortFree;

    /// <summary>
    /// A copy that also treats <paramref name="ownedPorts"/> as free. A hot reload passes the ports of
    /// the models it already runs, so they keep their ports (and are not restarted for a port change).
    /// </summary>
    public ConfigLoadOptions WithOwnedPorts(IEnumerable<int> ownedPorts)
    {
        var owned = ownedPorts.ToHashSet();
        var inner = IsPortFree;
        return this with { IsPortFree = port => owned.Contains(port) || inner(port) };
    }

    /// <summary>True when 127.0.0.1:<paramref name="port"/> can be bound right now.</summary>
    public static bool IsLoopbackPortFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
