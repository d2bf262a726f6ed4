namespace ModelSwap.Engine.Inference;

/// <summary>How a generation ended, with the counts and times for `usage` and `timings`.</summary>
internal sealed record GenerationResult(
    FinishReason FinishReason,
    int PromptTokens,
    int CompletionTokens,
    TimeSpan PromptTime,
    TimeSpan PredictTime)
{
    public string FinishReasonText => FinishReason == FinishReason.Length ? "length" : "stop";
}
