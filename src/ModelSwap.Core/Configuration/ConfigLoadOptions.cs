using System.Net;
using System.Net.Sockets;

namespace ModelSwap.Core.Configuration;

/// <summary>What a config load consults besides the file: environment variables, free ports, and on a reload the ports models hold.</summary>
public sealed record ConfigLoadOptions
{
    public static ConfigLoadOptions Default { get; } = new();

    /// <summary>Resolves <c>${env.NAME}</c>; null means "not set", which is an error.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Whether <c>${PORT}</c> may be assigned this port; taken ports are skipped.</summary>
    public Func<int, bool> IsPortFree { get; init; } = IsLoopbackPortFree;

    /// <summary>
    /// Ports the models of the running configuration hold, by model id. A model that keeps its id
    /// keeps its port (no restart for a port change); no other model is given one of these ports.
    /// </summary>
    public IReadOnlyDictionary<string, int> PreviousPorts { get; init; } = new Dictionary<string, int>();

    /// <summary>A copy whose <see cref="PreviousPorts"/> are those of <paramref name="running"/>.</summary>
    public ConfigLoadOptions WithPreviousPorts(ModelSwapConfig running) => this with
    {
        PreviousPorts = running.Models.Values.Where(m => m.Port is not null).ToDictionary(m => m.Id, m => m.Port!.Value, StringComparer.Ordinal),
    };

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
