using System.Diagnostics;

namespace ModelSwap.Bench.Engine;

/// <summary>
/// Servers started with 4 slots: one request alone vs four at once (continuous batching), llama-server
/// and the engine taking turns run by run.
/// </summary>
internal static class ParallelBenchmark
{
    public const int Streams = 4;

    public static async Task<List<ParallelResult>> RunAsync(IReadOnlyList<CompletionServer> servers, BenchSettings settings)
    {
        var results = servers.Select(s => new ParallelResult(s.Name, [], [])).ToList();
        // Warm-up: every slot touched once.
        foreach (var server in servers)
            await Batch(server, settings, Streams);
        for (var run = 0; run < settings.Runs; run++)
        {
            for (var k = 0; k < servers.Count; k++)
            {
                var i = (k + run) % servers.Count;
                results[i].OneStream.Add(await Batch(servers[i], settings, 1));
                results[i].ManyStreams.Add(await Batch(servers[i], settings, Streams));
            }
        }
        return results;
    }

    private static async Task<double> Batch(CompletionServer server, BenchSettings settings, int streams)
    {
        var clock = Stopwatch.StartNew();
        var timings = await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => server.CompleteAsync(BenchSettings.Prompt, settings.Tokens)));
        return timings.Sum(t => t.CompletionTokens) / clock.Elapsed.TotalSeconds;
    }
}
