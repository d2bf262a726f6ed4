namespace ModelSwap.Gateway.Activity;

/// <summary>One minute of one model: requests finished, median time to first token and median tokens/s (null: none measured).</summary>
public sealed record ActivityBucket(DateTimeOffset Start, int Requests, double? MedianTimeToFirstTokenMs, double? MedianTokensPerSecond);
