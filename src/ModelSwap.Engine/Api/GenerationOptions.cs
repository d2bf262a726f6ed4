using ModelSwap.Engine.Inference;

namespace ModelSwap.Engine.Api;

/// <summary>The request fields chat and text completions share.</summary>
internal sealed record GenerationOptions(
    int? MaxTokens,
    SamplingSettings Sampling,
    IReadOnlyList<string> Stop,
    bool Stream,
    bool IncludeUsage,
    string? Grammar = null,
    int Choices = 1,
    int? TopLogprobs = null);
