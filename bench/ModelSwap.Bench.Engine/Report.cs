namespace ModelSwap.Bench.Engine;

/// <summary>Prints the figures as tables, with ratios against llama-server measured in the same run. Never asserts.</summary>
internal static class Report
{
    public static void SingleStream(string title, List<(string Name, List<CompletionTiming> Runs)> results)
    {
        Console.WriteLine();
        Console.WriteLine($"## Single stream, {title} (medians; decode = llama-server's predicted_per_second; cpu = the server's CPU time, all threads, per generated token; ratios vs the first row)");
        Console.WriteLine($"{"",-30} {"decode tok/s",12} {"wall tok/s",11} {"prompt ms",10} {"tokens",8} {"decode ×",9} {"wall ×",7} {"cpu ms/tok",11} {"cpu ×",6}");
        var (_, baseline) = results[0];
        var baseDecode = Stats.Median(baseline.Select(r => r.PredictedPerSecond));
        var baseWall = Stats.Median(baseline.Select(r => r.WallPerSecond));
        var baseCpu = Stats.Median(baseline.Select(r => r.CpuMsPerToken));
        foreach (var (name, runs) in results)
        {
            var decode = Stats.Median(runs.Select(r => r.PredictedPerSecond));
            var wall = Stats.Median(runs.Select(r => r.WallPerSecond));
            var cpu = Stats.Median(runs.Select(r => r.CpuMsPerToken));
            Console.WriteLine($"{name,-30} {decode,12:F1} {wall,11:F1} {Stats.Median(runs.Select(r => r.PromptMs)),10:F1} {runs[0].PromptTokens + "+" + runs[0].CompletionTokens,8} "
                + $"{decode / baseDecode,9:F2} {wall / baseWall,7:F2} {cpu,11:F2} {cpu / baseCpu,6:F2}");
            Console.WriteLine($"{"  runs, decode",-30} {string.Join(' ', runs.Select(r => r.PredictedPerSecond.ToString("F1")))}");
            Console.WriteLine($"{"  runs, wall",-30} {string.Join(' ', runs.Select(r => r.WallPerSecond.ToString("F1")))}");
            Console.WriteLine($"{"  runs, cpu ms/tok",-30} {string.Join(' ', runs.Select(r => r.CpuMsPerToken.ToString("F2")))}");
        }
    }

    public static void Parallel(List<ParallelResult> results)
    {
        var n = ParallelBenchmark.Streams;
        Console.WriteLine();
        Console.WriteLine($"## Aggregate throughput with {n} slots (completion tokens / wall time, medians; streamed = SSE, stream:true; ratios vs the first row)");
        Console.WriteLine($"{"",-30} {"1 stream",9} {n + " streams",10} {n + " vs 1",7} {n + "-stream ×",11} {n + " streamed",11} {"streamed ×",11} {"chunks/req",11}");
        var baseline = Stats.Median(results[0].ManyStreams);
        var streamedBaseline = Stats.Median(results[0].ManyStreamed);
        foreach (var result in results)
        {
            var one = Stats.Median(result.OneStream);
            var many = Stats.Median(result.ManyStreams);
            var streamed = Stats.Median(result.ManyStreamed);
            Console.WriteLine($"{result.Name,-30} {one,9:F1} {many,10:F1} {many / one,7:F2} {many / baseline,11:F2} {streamed,11:F1} {streamed / streamedBaseline,11:F2} {Stats.Median(result.Chunks),11:F0}");
            Console.WriteLine($"{"  runs, " + n + " streams",-30} {string.Join(' ', result.ManyStreams.Select(r => r.ToString("F1")))}");
            Console.WriteLine($"{"  runs, " + n + " streamed",-30} {string.Join(' ', result.ManyStreamed.Select(r => r.ToString("F1")))}");
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
}
