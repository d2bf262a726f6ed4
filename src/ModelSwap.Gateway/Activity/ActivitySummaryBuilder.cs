namespace ModelSwap.Gateway.Activity;

/// <summary>Pure: finished requests in, the last hour's one-minute buckets per model out (every minute present).</summary>
internal static class ActivitySummaryBuilder
{
    public const int Minutes = 60;
    public static readonly TimeSpan Bucket = TimeSpan.FromMinutes(1);

    /// <summary>The start of the oldest bucket: the hour ending with the minute of <paramref name="now"/>.</summary>
    public static DateTimeOffset FirstMinute(DateTimeOffset now)
    {
        var minute = new DateTimeOffset(now.UtcTicks - now.UtcTicks % Bucket.Ticks, TimeSpan.Zero);
        return minute - Bucket * (Minutes - 1);
    }

    public static ActivitySummary Build(IEnumerable<ActivityEntry> rows, DateTimeOffset now)
    {
        var from = FirstMinute(now);
        var models = rows
            .Where(r => r.Time >= from && r.Time <= now)
            .GroupBy(r => r.Model, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var byMinute = g.ToLookup(r => (int)((r.Time - from).Ticks / Bucket.Ticks));
                var buckets = Enumerable.Range(0, Minutes).Select(i =>
                {
                    var inMinute = byMinute[i].ToList();
                    return new ActivityBucket(from + Bucket * i, inMinute.Count,
                        Median(inMinute.Select(r => r.TimeToFirstTokenMs)), Median(inMinute.Select(r => r.TokensPerSecond)));
                }).ToList();
                return new ModelActivitySeries(g.Key, g.Count(), g.Sum(r => r.GeneratedTokens ?? 0), buckets);
            })
            .ToList();
        return new ActivitySummary(from, now, (int)Bucket.TotalSeconds, models);
    }

    internal static double? Median(IEnumerable<double?> values)
    {
        var known = values.Where(v => v is not null).Select(v => v!.Value).Order().ToList();
        if (known.Count == 0)
        {
            return null;
        }
        var middle = known.Count / 2;
        return known.Count % 2 == 1 ? known[middle] : (known[middle - 1] + known[middle]) / 2;
    }
}
