using LLama.Native;

namespace ModelSwap.Engine.Inference;

/// <summary>One generation: the tokenized prompt, when to stop, and how to sample.</summary>
/// <param name="TopLogprobs">Report each token's logprob and this many alternatives (0: the token's only); null: none.</param>
/// <param name="Grammar">GBNF (root rule `root`) the output must follow: structured output and forced tool calls.</param>
/// <param name="MaxTokens">Completion tokens allowed; null runs until the end token or a full context.</param>
/// <param name="Media">A prompt with images: evaluated through the projector first; <paramref name="PromptTokens"/> is then its last text.</param>
internal sealed record GenerationRequest(
    string RequestId,
    LLamaToken[] PromptTokens,
    int? MaxTokens,
    SamplingSettings Sampling,
    IReadOnlyList<string> Stop,
    string? Grammar = null,
    int? TopLogprobs = null,
    PromptMedia? Media = null)
{
    /// <summary>Prompt tokens, images included (what `usage` reports).</summary>
    public int PromptCount => Media?.TokenCount ?? PromptTokens.Length;

    /// <summary>
    /// The requester reads text as it comes (a stream); false: it reads only the whole answer, which then
    /// arrives in one piece at the end. Waking a reader per token put 4 thread-pool wake-ups beside every
    /// 4-stream decode step, each taking a core from llama.cpp's threads mid-step (see bench/run.sh engine).
    /// </summary>
    public bool Streamed { get; init; } = true;
}
