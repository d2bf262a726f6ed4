namespace ModelSwap.Bench.Engine;

/// <summary>
/// Aggregate tokens/s (completion tokens of all streams over the wall time until the last one ended),
/// per run, one request alone and <see cref="ParallelBenchmark.Streams"/> at once, non-streamed and
/// streamed (SSE), for one server; <see cref="Chunks"/> = content chunks per streamed request.
/// </summary>
internal sealed record ParallelResult(string Name, List<double> OneStream, List<double> ManyStreams, List<double> ManyStreamed, List<double> Chunks);
