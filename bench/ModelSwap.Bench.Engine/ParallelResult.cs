namespace ModelSwap.Bench.Engine;

/// <summary>
/// Aggregate tokens/s (completion tokens of all streams over the wall time until the last one ended),
/// per run, for the engine and, when it runs, llama.cpp itself (node-llama-cpp, 4 sequences) as the reference.
/// </summary>
internal sealed record ParallelResult(
    List<CompletionTiming> OneStream,
    List<double> FourStreams,
    List<double> PerStreamDecode,
    List<double> NodeOneStream,
    List<double> NodeFourStreams);
