using System.Diagnostics;

namespace ModelSwap.Bench.Engine;

/// <summary>
/// Servers started with 4 slots: one request alone vs four at once (continuous batching), non-streamed
/// and streamed (SSE, as chat clients read), llama-server and the engine taking turns run by run.
/// </summary>
internal static class ParallelBenchmark
{
    public const int Streams = 4;

    public static async Task<List<ParallelResult>> RunAsync(IReadOnlyList<CompletionServer> servers, BenchSettings settings)
    {
        var results = servers.Select(s => new ParallelResult(s.Name, [], [], [], [])).ToList();
        // Warm-up: every slot touched once.
        foreach (var server in servers)
        {
            await Batch(server, settings, Streams);
            await StreamedBatch(server, settings);
        }
        for (var run = 0; run < settings.Runs; run++)
        {
            for (var k = 0; k < servers.Count; k++)
            {
                var i = (k + run) % servers.Count;
                results[i].OneStream.Add(await Batch(servers[i], settings, 1));
                results[i].ManyStreams.Add(await Batch(servers[i], settings, Streams));
                var (streamed, chunks) = await StreamedBatch(servers[i], settings);
                results[i].ManyStreamed.Add(streamed);
                results[i].Chunks.Add(chunks);
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

    /// <summary>Aggregate tokens/s of <see cref="Streams"/> streamed requests at once, and content chunks per request.</summary>
    private static async Task<(double TokensPerSecond, double ChunksPerRequest)> StreamedBatch(CompletionServer server, BenchSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var streams = await Task.WhenAll(Enumerable.Range(0, Streams).Select(_ => server.StreamAsync(BenchSettings.Prompt, settings.Tokens)));
        return (streams.Sum(s => s.Tokens) / clock.Elapsed.TotalSeconds, streams.Average(s => s.Chunks));
    }
}
