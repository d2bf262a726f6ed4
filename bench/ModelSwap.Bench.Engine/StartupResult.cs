namespace ModelSwap.Bench.Engine;

/// <summary>Per run: spawn to `/health` 200, and spawn to the first streamed content chunk.</summary>
internal sealed record StartupResult(List<TimeSpan> Healthy, List<TimeSpan> FirstToken);
