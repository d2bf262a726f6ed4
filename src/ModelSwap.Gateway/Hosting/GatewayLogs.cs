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

    public void AppendProxy(string line)
    {
        Proxy.Append(line);
        All.Append(line);
    }
}
