namespace ModelSwap.Gateway.Translation;

internal sealed record OllamaDurations(TimeSpan Total, TimeSpan Load, TimeSpan PromptEval, TimeSpan Eval)
{
    public static long Nanoseconds(TimeSpan span) => span.Ticks * 100;
}
