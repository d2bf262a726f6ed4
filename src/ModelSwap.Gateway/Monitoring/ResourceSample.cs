namespace ModelSwap.Gateway.Monitoring;

/// <summary>The gateway's own process and every running model server at one moment.</summary>
public sealed record ResourceSample(DateTimeOffset At, ProcessUsage Gateway, IReadOnlyList<ModelUsage> Models);
