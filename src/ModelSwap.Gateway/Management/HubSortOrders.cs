namespace ModelSwap.Gateway.Management;

/// <summary>The query values of <see cref="HubSortOrder"/> (the Hub's own names, also the CLI's --sort values).</summary>
internal static class HubSortOrders
{
    public static string Names => "downloads, likes, lastModified, trendingScore";

    /// <summary>Null means downloads; an unknown name is InvalidRequest.</summary>
    public static HubSortOrder Parse(string? text) => text?.ToUpperInvariant() switch
    {
        null or "" or "DOWNLOADS" => HubSortOrder.Downloads,
        "LIKES" => HubSortOrder.Likes,
        "LASTMODIFIED" => HubSortOrder.LastModified,
        "TRENDINGSCORE" => HubSortOrder.TrendingScore,
        _ => throw new ManagementException(ManagementFailure.InvalidRequest, "invalid_sort", $"sort '{text}' is not one of {Names}"),
    };
}
