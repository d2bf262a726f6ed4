namespace ModelSwap.Gateway.Management;

/// <summary>The orders a Hub search can use (always descending).</summary>
public enum HubSortOrder
{
    Downloads,
    Likes,
    LastModified,
    TrendingScore,
}
