namespace ModelSwap.Gateway.Activity;

/// <summary>
/// One request with what the viewer shows: the head of its body and the text generated (each capped;
/// the flags say when they were cut) and, when it failed or was ended, why.
/// </summary>
public sealed record ActivityDetail(
    ActivityEntry Entry,
    string RequestExcerpt,
    bool RequestTruncated,
    string ResponseExcerpt,
    bool ResponseTruncated,
    string? Error);
