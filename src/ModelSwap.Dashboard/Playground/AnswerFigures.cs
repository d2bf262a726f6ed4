namespace ModelSwap.Dashboard.Playground;

/// <summary>How an answer went: time to first token and generation speed.</summary>
public sealed record AnswerFigures(TimeSpan? TimeToFirstToken, int? CompletionTokens, double? TokensPerSecond, bool Stopped)
{
    /// <summary>
    /// Tokens per second over the time from the first token to the last (the prompt is not counted);
    /// the upstream's own figure wins when it gave one.
    /// </summary>
    public static AnswerFigures From(TimeSpan? firstToken, TimeSpan end, int? tokens, int chunks, double? upstreamRate, bool stopped)
    {
        var generated = tokens ?? (chunks > 0 ? chunks : null);
        double? rate = upstreamRate;
        if (rate is null && generated is > 1 && firstToken is { } first && end > first)
        {
            // The first token arrives at `first`; the rest are produced over the time after it.
            rate = (generated.Value - 1) / (end - first).TotalSeconds;
        }
        return new AnswerFigures(firstToken, generated, rate, stopped);
    }
}
