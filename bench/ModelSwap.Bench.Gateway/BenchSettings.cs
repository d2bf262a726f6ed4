namespace ModelSwap.Bench.Gateway;

internal sealed record BenchSettings(int Rounds, int LatencyRequests, TimeSpan ThroughputDuration, int Clients, int Swaps)
{
    public static BenchSettings FromArgs(string[] args)
    {
        var quick = args.Contains("--quick");
        return quick
            ? new BenchSettings(1, 500, TimeSpan.FromSeconds(2), 8, 4)
            : new BenchSettings(3, 3000, TimeSpan.FromSeconds(5), 8, 10);
    }
}
