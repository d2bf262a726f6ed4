using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// The log lines /logs serves: the gateway's own (Proxy), every model server's output (Upstream),
/// and both interleaved (All). Bounded, so a chatty model cannot grow memory.
/// </summary>
public sealed class GatewayLogs
{
    public LogRing Proxy { get; } = new(2000);
    public LogRing Upstream { get; } = new(2000);
    public LogRing All { get; } = new(4000);

    public void AppendProxy(string line)
    {
        Proxy.Append(line);
        All.Append(line);
    }

    public void AppendUpstream(string modelId, string line)
    {
        var tagged = $"[{modelId}] {line}";
        Upstream.Append(tagged);
        All.Append(tagged);
    }
}
