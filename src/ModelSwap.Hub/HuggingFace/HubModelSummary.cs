namespace ModelSwap.Hub.HuggingFace;

/// <summary>One search hit. <see cref="Gated"/> is null for open models, else "auto" or "manual".</summary>
public sealed record HubModelSummary(
    string Id,
    string Author,
    long Downloads,
    long Likes,
    double? TrendingScore,
    DateTimeOffset? LastModified,
    DateTimeOffset? CreatedAt,
    IReadOnlyList<string> Tags,
    string? Gated,
    bool Private,
    string? PipelineTag);
