namespace ModelSwap.Core.Configuration;

/// <summary>
/// A model's <c>timeouts:</c> as llama-swap defines them (seconds in YAML; 0 disables one), plus
/// ModelSwap's <c>idle</c>: the longest the upstream may stay silent (no byte) after the request was
/// sent, before the client gets a 504 (or an SSE error event mid-stream). tlsHandshake is covered by
/// connect (the handler's connect timeout includes TLS).
/// </summary>
public sealed record UpstreamTimeouts
{
    public static readonly UpstreamTimeouts Default = new();

    /// <summary>TCP connect (and TLS handshake); default 30 s.</summary>
    public TimeSpan Connect { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>TCP keepalive idle time on upstream connections; default 30 s.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time until the response headers; default 0 (none: the idle timeout still applies).</summary>
    public TimeSpan ResponseHeader { get; init; } = TimeSpan.Zero;

    /// <summary>How long to wait for "100 Continue"; default 1 s.</summary>
    public TimeSpan ExpectContinue { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an unused pooled connection is kept; default 90 s.</summary>
    public TimeSpan IdleConnection { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>No byte from the upstream for this long → 504 / SSE error event; default 300 s.</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(300);
}
