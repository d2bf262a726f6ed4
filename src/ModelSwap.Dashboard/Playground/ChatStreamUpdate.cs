namespace ModelSwap.Dashboard.Playground;

/// <summary>A piece of a streamed answer, or (with <see cref="Done"/>) its end and its figures.</summary>
/// <param name="Text">New text of the answer (may be empty).</param>
/// <param name="CompletionTokens">Generated tokens, from the upstream's usage or timings, when it reported them.</param>
/// <param name="UpstreamTokensPerSecond">The upstream's own figure (llama-server's timings.predicted_per_second), when given.</param>
internal sealed record ChatStreamUpdate(string Text, bool Done = false, int? CompletionTokens = null, double? UpstreamTokensPerSecond = null);
