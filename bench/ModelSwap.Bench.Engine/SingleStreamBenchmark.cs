namespace ModelSwap.Bench.Engine;

/// <summary>
/// One request at a time, same model, prompt and token count, same thread count: llama-server and
/// each engine build take turns run by run, so a busy moment on the shared machine hits all alike.
/// </summary>
internal static class SingleStreamBenchmark
{
    /// <summary>Per server (in the order given), its measured runs.</summary>
    public static async Task<List<(string Name, List<CompletionTiming> Runs)>> RunAsync(IReadOnlyList<CompletionServer> servers, BenchSettings settings)
    {
        var results = servers.Select(s => (s.Name, Runs: new List<CompletionTiming>())).ToList();
        // Warm-up: first touch of the weights, and the JIT on the engine side.
        foreach (var server in servers)
            await server.CompleteAsync(BenchSettings.Prompt, settings.Tokens);
        for (var run = 0; run < settings.Runs; run++)
        {
            // Rotate who goes first, so none always runs right after a particular neighbour.
            for (var k = 0; k < servers.Count; k++)
            {
                var i = (k + run) % servers.Count;
                results[i].Runs.Add(await servers[i].CompleteAsync(BenchSettings.Prompt, settings.Tokens));
            }
        }
        return results;
    }
}
