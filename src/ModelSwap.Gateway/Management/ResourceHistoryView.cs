using ModelSwap.Gateway.Monitoring;

namespace ModelSwap.Gateway.Management;

/// <summary>GET /api/status/resources: CPU and memory of the gateway and each model server over the last hour.</summary>
/// <param name="IntervalSeconds">Seconds between samples.</param>
/// <param name="Cores">CPU cores (a CPU percent of 100 is one core busy).</param>
/// <param name="MemoryBytes">The machine's memory (the charts' ceiling).</param>
/// <param name="Samples">Oldest first; at most an hour's worth.</param>
public sealed record ResourceHistoryView(double IntervalSeconds, int Cores, long MemoryBytes, IReadOnlyList<ResourceSample> Samples);
