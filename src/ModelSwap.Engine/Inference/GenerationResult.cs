namespace ModelSwap.Engine.Inference;

/// <summary>How a generation ended, with the counts and times for `usage` and `timings`.</summary>
internal sealed record GenerationResult(
    FinishReason FinishReason,
    int PromptTokens,
    int CompletionTokens,
    TimeSpan PromptTime,
    TimeSpan PredictTime)
{
    /// <summary>The stop sequence that ended the reply, when one did (not the end-of-generation token, not the limit).</summary>
    public string? StoppingWord { get; init; }

    public string FinishReasonText => FinishReason == FinishReason.Length ? "length" : "stop";
}
