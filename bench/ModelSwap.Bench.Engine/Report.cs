namespace ModelSwap.Bench.Engine;

/// <summary>Prints the figures as a table and the ratios against the issue's targets. Never asserts.</summary>
internal static class Report
{
    public static void SingleStream(List<CompletionTiming> node, string? nodeFailure, string nodeDescription, List<CompletionTiming> engineP1)
    {
        Console.WriteLine();
        Console.WriteLine("## Single stream (medians; decode = llama-server's predicted_per_second definition)");
        Console.WriteLine($"{"",-38} {"decode tok/s",12} {"wall tok/s",11} {"prompt tok/s",13} {"prompt ms",10} {"tokens",9}");
        if (node.Count > 0)
            Row("node-llama-cpp (llama.cpp, in-process)", node);
        else
            Console.WriteLine($"{"node-llama-cpp",-38} unavailable: {nodeFailure}");
        Row("modelswap engine --parallel 1 (HTTP)", engineP1);
        if (node.Count > 0)
            Console.WriteLine($"node-llama-cpp: {nodeDescription}");
    }

    private static void Row(string name, List<CompletionTiming> runs)
    {
        var tokens = $"{runs[0].PromptTokens}+{runs[0].CompletionTokens}";
        Console.WriteLine($"{name,-38} {Stats.Median(runs.Select(r => r.PredictedPerSecond)),12:F1} {Stats.Median(runs.Select(r => r.WallPerSecond)),11:F1} "
            + $"{Stats.Median(runs.Select(r => r.PromptPerSecond)),13:F0} {Stats.Median(runs.Select(r => r.PromptMs)),10:F1} {tokens,9}");
        Console.WriteLine($"{"  runs (decode tok/s)",-38} {string.Join(' ', runs.Select(r => r.PredictedPerSecond.ToString("F1")))}");
    }

    public static void Parallel(ParallelResult result, string? nodeFailure)
    {
        Console.WriteLine();
        Console.WriteLine($"## Aggregate throughput, modelswap engine --parallel {ParallelBenchmark.Streams} (completion tokens / wall time, medians)");
        Console.WriteLine($"{"1 stream",-38} {Stats.Median(result.OneStream.Select(r => r.WallPerSecond)),8:F1} tok/s   runs: {string.Join(' ', result.OneStream.Select(r => r.WallPerSecond.ToString("F1")))}");
        Console.WriteLine($"{"  (its decode rate)",-38} {Stats.Median(result.OneStream.Select(r => r.PredictedPerSecond)),8:F1} tok/s");
        Console.WriteLine($"{ParallelBenchmark.Streams + " streams at once",-38} {Stats.Median(result.FourStreams),8:F1} tok/s   runs: {string.Join(' ', result.FourStreams.Select(r => r.ToString("F1")))}");
        Console.WriteLine($"{"  each of the 4 streams (decode)",-38} {Stats.Median(result.PerStreamDecode),8:F1} tok/s");
        if (result.NodeFourStreams.Count > 0)
        {
            Console.WriteLine($"{"node-llama-cpp, 1 of 4 sequences",-38} {Stats.Median(result.NodeOneStream),8:F1} tok/s   runs: {string.Join(' ', result.NodeOneStream.Select(r => r.ToString("F1")))}");
            Console.WriteLine($"{"node-llama-cpp, 4 sequences at once",-38} {Stats.Median(result.NodeFourStreams),8:F1} tok/s   runs: {string.Join(' ', result.NodeFourStreams.Select(r => r.ToString("F1")))}");
        }
        else if (nodeFailure is not null)
        {
            Console.WriteLine($"{"node-llama-cpp, 4 sequences",-38} unavailable: {nodeFailure}");
        }
    }

    public static void Startup(StartupResult result)
    {
        Console.WriteLine();
        Console.WriteLine($"## Process start to first token, tiny model ({result.FirstToken.Count} runs)");
        Console.WriteLine($"{"spawn -> /health 200",-38} median {Stats.Median(result.Healthy.Select(t => t.TotalSeconds)),6:F3} s   runs: {Runs(result.Healthy)}");
        Console.WriteLine($"{"spawn -> first streamed content chunk",-38} median {Stats.Median(result.FirstToken.Select(t => t.TotalSeconds)),6:F3} s   runs: {Runs(result.FirstToken)}");
    }

    private static string Runs(List<TimeSpan> times) => string.Join(' ', times.Select(t => t.TotalSeconds.ToString("F3")));

    public static void Targets(List<CompletionTiming> node, List<CompletionTiming>? engineP1, ParallelResult? parallel, StartupResult? startup)
    {
        Console.WriteLine();
        Console.WriteLine("## Targets");
        if (node.Count > 0 && engineP1 is { Count: > 0 })
        {
            var decode = Stats.Median(engineP1.Select(r => r.PredictedPerSecond)) / Stats.Median(node.Select(r => r.PredictedPerSecond));
            var wall = Stats.Median(engineP1.Select(r => r.WallPerSecond)) / Stats.Median(node.Select(r => r.WallPerSecond));
            Target("single stream vs node-llama-cpp (decode)", decode, ">= 0.95x", decode >= 0.95);
            Target("single stream vs node-llama-cpp (wall)", wall, ">= 0.95x", wall >= 0.95);
        }
        else
        {
            Console.WriteLine($"{"single stream vs node-llama-cpp",-42} n/a (see above)");
        }
        if (parallel is not null)
        {
            var scale = Stats.Median(parallel.FourStreams) / Stats.Median(parallel.OneStream.Select(r => r.WallPerSecond));
            Target("4 streams vs 1 stream (aggregate)", scale, ">= 2x", scale >= 2);
            if (parallel.NodeFourStreams.Count > 0)
            {
                var reference = Stats.Median(parallel.NodeFourStreams) / Stats.Median(parallel.NodeOneStream);
                Console.WriteLine($"{"  reference: node-llama-cpp, 4 vs 1",-42} {reference,6:F2}x");
            }
        }
        else
        {
            Console.WriteLine($"{"4 streams vs 1 stream (aggregate)",-42} n/a (see above)");
        }
        if (startup is not null)
        {
            var first = Stats.Median(startup.FirstToken.Select(t => t.TotalSeconds));
            Console.WriteLine($"{"start to first token (tiny model)",-42} {first,6:F3} s   target < 0.5 s    {(first < 0.5 ? "met" : "MISSED")}");
        }
        else
        {
            Console.WriteLine($"{"start to first token (tiny model)",-42} n/a (see above)");
        }
    }

    private static void Target(string name, double ratio, string target, bool met) =>
        Console.WriteLine($"{name,-42} {ratio,6:F2}x   target {target,-8} {(met ? "met" : "MISSED")}");
}
