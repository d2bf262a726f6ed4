namespace ModelSwap.Bench.Engine;

/// <summary>
/// One generation's figures. <see cref="PredictedPerSecond"/> follows llama-server's `timings`: generated
/// tokens over the time from the first sampled token to the last. Wall time covers everything the
/// caller waited for (prompt, decode, and for the engine the HTTP round trip).
/// </summary>
internal sealed record CompletionTiming(int PromptTokens, int CompletionTokens, double PromptMs, double PredictedPerSecond, double WallMs, double CpuMs = double.NaN)
{
    public double PromptPerSecond => PromptMs > 0 ? PromptTokens * 1000 / PromptMs : 0;

    /// <summary>The server process's CPU time (all threads) per generated token, prompt included.</summary>
    public double CpuMsPerToken => CompletionTokens > 0 ? CpuMs / CompletionTokens : double.NaN;

    public double WallPerSecond => WallMs > 0 ? CompletionTokens * 1000 / WallMs : 0;
}
