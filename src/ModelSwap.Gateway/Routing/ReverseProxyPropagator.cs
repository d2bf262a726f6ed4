using System.Diagnostics;

namespace ModelSwap.Gateway.Routing;

/// <summary>Passes the client's trace headers through instead of adding the gateway's own.</summary>
internal sealed class ReverseProxyPropagator(DistributedContextPropagator inner) : DistributedContextPropagator
{
    public override IReadOnlyCollection<string> Fields => inner.Fields;

    public override void Inject(System.Diagnostics.Activity? activity, object? carrier, PropagatorSetterCallback? setter)
    {
        // The forwarded request already carries the client's headers; adding ours would duplicate them.
    }

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState) =>
        inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) =>
        inner.ExtractBaggage(carrier, getter);
}
