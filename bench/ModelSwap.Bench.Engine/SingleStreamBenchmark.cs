namespace ModelSwap.Bench.Engine;

/// <summary>
/// One request at a time, same model, prompt and token count: node-llama-cpp and the engine take
/// turns run by run, so a busy moment on the machine hits both alike.
/// </summary>
internal static class SingleStreamBenchmark
{
    public static async Task<(List<CompletionTiming> Node, List<CompletionTiming> Engine)> RunAsync(
        NodeLlamaBaseline? node, EngineServer engine, BenchSettings settings)
    {
        var nodeRuns = new List<CompletionTiming>();
        var engineRuns = new List<CompletionTiming>();
        // Warm-up: first-touch of the weights and the JIT on the engine side.
        if (node is not null)
            await node.RunAsync();
        await engine.CompleteAsync(BenchSettings.Prompt, settings.Tokens);
        for (var run = 0; run < settings.Runs; run++)
        {
            if (node is not null)
                nodeRuns.Add(await node.RunAsync());
            engineRuns.Add(await engine.CompleteAsync(BenchSettings.Prompt, settings.Tokens));
        }
        return (nodeRuns, engineRuns);
    }
}
