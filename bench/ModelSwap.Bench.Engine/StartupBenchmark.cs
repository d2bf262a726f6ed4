using System.Diagnostics;

namespace ModelSwap.Bench.Engine;

/// <summary>
/// A fresh `modelswap engine` per run on the tiny model: the clock starts before the spawn; the
/// client polls `/health` as the gateway does, then streams a chat completion and stops the clock at
/// the first content chunk.
/// </summary>
internal static class StartupBenchmark
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(2);

    public static async Task<StartupResult> RunAsync(string tinyModel, int runs)
    {
        var result = new StartupResult([], []);
        // One untimed start first: the OS file cache then holds the runtime and the native libraries,
        // as on any machine that has run modelswap before.
        await OnceAsync(tinyModel);
        for (var run = 0; run < runs; run++)
        {
            var (healthy, first) = await OnceAsync(tinyModel);
            result.Healthy.Add(healthy);
            result.FirstToken.Add(first);
        }
        return result;
    }

    private static async Task<(TimeSpan Healthy, TimeSpan FirstToken)> OnceAsync(string tinyModel)
    {
        var clock = Stopwatch.StartNew();
        await using var engine = CompletionServer.SpawnEngine("engine", tinyModel, null);
        await engine.WaitHealthyAsync(TimeSpan.FromSeconds(30), Poll);
        var healthy = clock.Elapsed;
        var first = await engine.FirstContentChunkAsync(clock, maxTokens: 16);
        return (healthy, first);
    }
}
