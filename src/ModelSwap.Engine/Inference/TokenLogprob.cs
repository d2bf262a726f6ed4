namespace ModelSwap.Engine.Inference;

/// <summary>One generated token's log probability under the model (before sampling settings), with the most likely alternatives.</summary>
internal sealed record TokenLogprob(string Token, float Logprob, IReadOnlyList<(string Token, float Logprob)> Top);
