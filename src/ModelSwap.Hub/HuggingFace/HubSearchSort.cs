namespace ModelSwap.Hub.HuggingFace;

/// <summary>The orders the Hub's model search supports (always descending).</summary>
public enum HubSearchSort
{
    Downloads,
    Likes,
    LastModified,
    TrendingScore,
}
