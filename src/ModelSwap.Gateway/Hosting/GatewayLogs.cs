using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// The log lines /logs serves: the gateway's own (Proxy), every model server's output (Upstream,
/// kept by <see cref="UpstreamLogs"/>), and both interleaved in arrival order (All). Bounded, so a
/// chatty model cannot grow memory.
/// </summary>
public sealed class GatewayLogs
{
    private readonly UpstreamLogs _upstream;

    public GatewayLogs(UpstreamLogs upstream)
    {
        _upstream = upstream;
        upstream.LineAppended += All.Append;
    }

    public LogRing Proxy { get; } = new(2000);
    public LogRing Upstream => _upstream.Ring;
    public LogRing All { get; } = new(4000);

    private Func<string, string> _redact = static line => line;

    /// <summary>
    /// Redacts every line from now on before it is stored (gateway and model output alike), so no
    /// reader of the rings — /logs, /api/events, the dashboard — can see a secret.
    /// </summary>
    public void RedactWith(Func<string, string> redact)
    {
        _redact = redact;
        _upstream.Redact = redact;
    }

    public void AppendProxy(string line)
    {
        line = _redact(line);
        Proxy.Append(line);
        All.Append(line);
    }
}
