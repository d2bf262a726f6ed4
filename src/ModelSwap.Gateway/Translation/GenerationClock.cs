namespace ModelSwap.Gateway.Translation;

/// <summary>
/// The moments of one Ollama generation, for its *_duration fields (nanoseconds). The upstream's own
/// timings (llama-server's prompt_ms / predicted_ms) win when it sends them; the gateway's marks
/// fill in when it does not.
/// </summary>
internal sealed class GenerationClock(TimeProvider time)
{
    private readonly long _start = time.GetTimestamp();
    private long? _loaded;
    private long? _firstToken;

    public void MarkLoaded() => _loaded ??= time.GetTimestamp();

    public void MarkToken() => _firstToken ??= time.GetTimestamp();

    public DateTimeOffset Now => time.GetUtcNow();

    public OllamaDurations Finish(GenerationTally? tally)
    {
        var end = time.GetTimestamp();
        var loaded = _loaded ?? end;
        var firstToken = _firstToken ?? end;
        return new OllamaDurations(
            Total: time.GetElapsedTime(_start, end),
            Load: time.GetElapsedTime(_start, loaded),
            PromptEval: tally?.PromptMilliseconds is { } promptMs ? TimeSpan.FromMilliseconds(promptMs) : time.GetElapsedTime(loaded, firstToken),
            Eval: tally?.PredictedMilliseconds is { } predictedMs ? TimeSpan.FromMilliseconds(predictedMs) : time.GetElapsedTime(firstToken, end));
    }
}
