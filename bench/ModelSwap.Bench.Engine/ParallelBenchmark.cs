using System.Diagnostics;

namespace ModelSwap.Bench.Engine;

/// <summary>
/// The engine started with `--parallel 4`: one request alone vs four at once (continuous batching).
/// node-llama-cpp with 4 sequences does the same, to show what llama.cpp itself gains from batching
/// on this machine; the two take turns run by run.
/// </summary>
internal static class ParallelBenchmark
{
    public const int Streams = 4;

    public static async Task<ParallelResult> RunAsync(EngineServer engine, NodeLlamaBaseline? node, BenchSettings settings)
    {
        var result = new ParallelResult([], [], [], [], []);
        // Warm-up: every slot touched once.
        await engine.CompleteAsync(BenchSettings.Prompt, settings.Tokens);
        await Batch(engine, settings);
        if (node is not null)
            await node.RunParallelAsync(Streams);
        for (var run = 0; run < settings.Runs; run++)
        {
            var one = await engine.CompleteAsync(BenchSettings.Prompt, settings.Tokens);
            result.OneStream.Add(one);
            var (aggregate, timings) = await Batch(engine, settings);
            result.FourStreams.Add(aggregate);
            result.PerStreamDecode.AddRange(timings.Select(t => t.PredictedPerSecond));
            if (node is not null)
            {
                result.NodeOneStream.Add((await node.RunParallelAsync(1)).Aggregate);
                result.NodeFourStreams.Add((await node.RunParallelAsync(Streams)).Aggregate);
            }
        }
        return result;
    }

    private static async Task<(double Aggregate, CompletionTiming[] Timings)> Batch(EngineServer engine, BenchSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var timings = await Task.WhenAll(Enumerable.Range(0, Streams).Select(_ => engine.CompleteAsync(BenchSettings.Prompt, settings.Tokens)));
        var seconds = clock.Elapsed.TotalSeconds;
        return (timings.Sum(t => t.CompletionTokens) / seconds, timings);
    }
}
