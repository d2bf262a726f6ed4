namespace ModelSwap.Engine.Inference;

/// <summary>How the next token is chosen. Defaults follow llama-server's, so results match what users know.</summary>
internal sealed record SamplingSettings
{
    public float Temperature { get; init; } = 0.8f;
    public float TopP { get; init; } = 0.95f;
    public int TopK { get; init; } = 40;
    public float MinP { get; init; } = 0.05f;
    public float PresencePenalty { get; init; }
    public float FrequencyPenalty { get; init; }
    public float RepeatPenalty { get; init; } = 1.0f;

    /// <summary>Same seed and same prompt give the same text; null picks a random seed.</summary>
    public uint? Seed { get; init; }
}
