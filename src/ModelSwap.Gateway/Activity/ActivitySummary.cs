namespace ModelSwap.Gateway.Activity;

/// <summary>The last hour per model in one-minute buckets (oldest first, every minute present), for charts.</summary>
public sealed record ActivitySummary(DateTimeOffset From, DateTimeOffset To, int BucketSeconds, IReadOnlyList<ModelActivitySeries> Models);
