namespace ModelSwap.Gateway.Activity;

/// <summary>
/// A history filter: exact model, route prefix (e.g. <c>POST /v1/chat</c>), status class (2, 4 or 5 for
/// 2xx/4xx/5xx), a time window, and a page (<see cref="Before"/> an id, at most <see cref="Limit"/> rows).
/// </summary>
public sealed record ActivityQuery
{
    public const int MaxLimit = 500;
    public const int DefaultLimit = 50;

    public string? Model { get; init; }
    public string? Route { get; init; }
    public int? StatusClass { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public long? Before { get; init; }
    public int Limit { get; init; } = DefaultLimit;
}
