namespace ModelSwap.Bench.Gateway;

internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    public static double Median(IEnumerable<double> values) => Of(values.ToArray(), 50);
}
