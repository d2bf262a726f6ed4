using System.Diagnostics;
using System.Net.Http.Json;

namespace ModelSwap.Bench.Gateway;

/// <summary>
/// (b) Cold swap: each request names the model that is NOT running, so ModelSwap stops one fake and
/// starts the other. Overhead = request-to-response minus the fake's own spawn-to-healthy time and
/// its own stop time, both measured here in the same run.
/// </summary>
internal static class SwapBenchmark
{
    internal sealed record Report(double SpawnToHealthyMs, double StopMs, double SwapRequestMs)
    {
        public void Print()
        {
            Console.WriteLine();
            Console.WriteLine("## (b) cold swap (medians)");
            Console.WriteLine($"upstream spawn-to-healthy (polled every 1 ms): {SpawnToHealthyMs:F1} ms");
            Console.WriteLine($"upstream graceful stop (SIGTERM to exit):       {StopMs:F1} ms");
            Console.WriteLine($"swap request-to-response through ModelSwap:    {SwapRequestMs:F1} ms");
            Console.WriteLine($"swap overhead (request - spawn-to-healthy):    {SwapRequestMs - SpawnToHealthyMs:F1} ms (target <= 60)");
            Console.WriteLine($"  of which the old model's graceful stop:      {StopMs:F1} ms");
        }
    }

    public static async Task<Report> RunAsync(BenchLab lab, BenchSettings settings)
    {
        var spawn = new List<double>();
        var stop = new List<double>();
        for (var i = 0; i < settings.Swaps; i++)
        {
            var port = BenchLab.FreePort();
            var clock = Stopwatch.StartNew();
            await using var fake = ChildProcess.Start("dotnet", lab.FakeDll, "--port", port.ToString(), "--name", "probe");
            await BenchLab.WaitHealthyAsync(new Uri($"http://127.0.0.1:{port}"), "/health", TimeSpan.FromSeconds(30));
            spawn.Add(clock.Elapsed.TotalMilliseconds);
            stop.Add(fake.Terminate().TotalMilliseconds);
        }

        using var client = new HttpClient { BaseAddress = lab.ModelSwap, Timeout = TimeSpan.FromSeconds(60) };
        await ChatAsync(client, "swap-b"); // the first start is not a swap
        var swaps = new List<double>();
        for (var i = 0; i < settings.Swaps; i++)
        {
            var model = i % 2 == 0 ? "swap-a" : "swap-b";
            var clock = Stopwatch.StartNew();
            await ChatAsync(client, model);
            swaps.Add(clock.Elapsed.TotalMilliseconds);
        }
        return new Report(Percentiles.Median(spawn), Percentiles.Median(stop), Percentiles.Median(swaps));
    }

    private static async Task ChatAsync(HttpClient client, string model)
    {
        using var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model, messages = new[] { new { role = "user", content = "hi" } } });
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }
}
