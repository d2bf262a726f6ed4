namespace ModelSwap.Gateway.Activity;

/// <summary>A page of the history, newest first; pass <see cref="NextBefore"/> as <c>before</c> for the next page (null: no more).</summary>
public sealed record ActivityPage(IReadOnlyList<ActivityEntry> Entries, long? NextBefore);
