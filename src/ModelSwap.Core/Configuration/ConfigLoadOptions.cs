using System.Net;
using System.Net.Sockets;

namespace ModelSwap.Core.Configuration;

/// <summary>What a config load consults besides the file: environment variables, free ports, and on a reload the config it replaces.</summary>
public sealed record ConfigLoadOptions
{
    public static ConfigLoadOptions Default { get; } = new();

    /// <summary>Resolves <c>${env.NAME}</c>; null means "not set", which is an error.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Whether <c>${PORT}</c> may be assigned this port; taken ports are skipped.</summary>
    public Func<int, bool> IsPortFree { get; init; } = IsLoopbackPortFree;

    /// <summary>
    /// The config a reload replaces. Its models keep their <c>${PORT}</c> (their servers hold those
    /// ports), so only models whose definition changed get a new fingerprint and restart. Null on a
    /// first load, which numbers ports exactly as llama-swap does.
    /// </summary>
    public ModelSwapConfig? Previous { get; init; }

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
