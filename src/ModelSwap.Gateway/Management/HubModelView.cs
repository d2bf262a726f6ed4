namespace ModelSwap.Gateway.Management;

/// <summary>One Hub search hit as /api/hub/search shows it.</summary>
/// <param name="Gated">Null for open models, else "auto" or "manual" (HF_TOKEN needed to download).</param>
public sealed record HubModelView(
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
    string? PipelineTag)
{
    internal static HubModelView From(Hub.HuggingFace.HubModelSummary m) =>
        new(m.Id, m.Author, m.Downloads, m.Likes, m.TrendingScore, m.LastModified, m.CreatedAt, m.Tags, m.Gated, m.Private, m.PipelineTag);
}
