namespace ModelSwap.Gateway.Activity;

/// <summary>One model's minutes of the summary, and its totals over the hour.</summary>
public sealed record ModelActivitySeries(string Model, int Requests, int GeneratedTokens, IReadOnlyList<ActivityBucket> Buckets);
