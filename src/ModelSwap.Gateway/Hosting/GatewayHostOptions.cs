using System.Net;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Hosting;

/// <summary>How a gateway is started: its first configuration, where that came from, where it listens.</summary>
internal sealed record GatewayHostOptions
{
    public const int DefaultPort = 8091;

    /// <summary>The configuration to start with (already loaded and valid).</summary>
    public required ModelSwapConfig Config { get; init; }

    /// <summary>The file the configuration came from, for SIGHUP and --watch-config; null when generated.</summary>
    public string? ConfigPath { get; init; }

    public bool WatchConfig { get; init; }

    /// <summary>Set when <see cref="Config"/> was generated from models folders: they are watched and the config regenerated.</summary>
    public Discovery.DiscoveryOptions? Discovery { get; init; }

    public ConfigLoadOptions LoadOptions { get; init; } = ConfigLoadOptions.Default;

    /// <summary>The models folders (the first receives downloads); MODELSWAP_MODELS_DIR or ~/.clara/llama-models.</summary>
    public IReadOnlyList<string> ModelsDirs { get; init; } = [ModelSwap.Hub.Store.ModelStore.DefaultModelsDir()];

    /// <summary>On shutdown, how long requests being forwarded may take to finish before they are ended.</summary>
    public TimeSpan ShutdownGrace { get; init; } = DefaultShutdownGrace;

    public static readonly TimeSpan DefaultShutdownGrace = TimeSpan.FromSeconds(10);

    /// <summary>The request history: its file (MODELSWAP_HOME/activity.db) and bounds.</summary>
    public Activity.ActivityOptions Activity { get; init; } = Gateway.Activity.ActivityOptions.InHome(Core.Catalog.CatalogPaths.DefaultHome());

    /// <summary>Where to listen; port 0 picks a free port (tests).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, DefaultPort);

    /// <summary>Parses "HOST:PORT", "PORT" or ":PORT"; "localhost" means the loopback address.</summary>
    public static IPEndPoint ParseListen(string value)
    {
        var text = value.Trim();
        var colon = text.LastIndexOf(':');
        var hostPart = colon < 0 ? "127.0.0.1" : text[..colon].Trim('[', ']');
        var portPart = colon < 0 ? text : text[(colon + 1)..];
        if (!int.TryParse(portPart, out var port) || port is < 0 or > 65535)
        {
            throw new FormatException($"'{value}' is not HOST:PORT: the port must be a number from 0 to 65535");
        }
        if (hostPart.Length == 0 || hostPart.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }
        if (hostPart is "*" or "+")
        {
            return new IPEndPoint(IPAddress.Any, port);
        }
        if (!IPAddress.TryParse(hostPart, out var address))
        {
            throw new FormatException($"'{value}' is not HOST:PORT: '{hostPart}' is not an IP address (use 127.0.0.1, 0.0.0.0 or localhost)");
        }
        return new IPEndPoint(address, port);
    }
}
