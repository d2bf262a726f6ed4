namespace ModelSwap.Hub.HuggingFace;

/// <summary>Maps <see cref="HubSearchSort"/> to and from the Hub's query values (also the CLI's --sort values).</summary>
public static class HubSearchSortNames
{
    public static IReadOnlyList<string> All { get; } = ["downloads", "likes", "lastModified", "trendingScore"];

    public static string ToApiValue(this HubSearchSort sort) => sort switch
    {
        HubSearchSort.Downloads => "downloads",
        HubSearchSort.Likes => "likes",
        HubSearchSort.LastModified => "lastModified",
        HubSearchSort.TrendingScore => "trendingScore",
        _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, "Unknown sort."),
    };

    public static bool TryParse(string? text, out HubSearchSort sort)
    {
        foreach (HubSearchSort candidate in Enum.GetValues<HubSearchSort>())
        {
            if (string.Equals(candidate.ToApiValue(), text, StringComparison.OrdinalIgnoreCase))
            {
                sort = candidate;
                return true;
            }
        }
        sort = HubSearchSort.Downloads;
        return false;
    }
}
