namespace ModelSwap.Gateway.Activity;

/// <summary>
/// One finished request to a model, as the history lists it. <see cref="Outcome"/> is
/// <c>completed</c>, <c>failed</c> (an error status or a broken answer), <c>cancelled</c> (ended by
/// ModelSwap: cancel, swap timeout, shutdown) or <c>client_left</c>. Tokens and timings are the
/// upstream's own figures (<c>usage</c>, <c>timings</c>) when it sent them; null when unknown.
/// </summary>
public sealed record ActivityEntry(
    long Id,
    DateTimeOffset Time,
    string Model,
    string Route,
    string Client,
    string? UserAgent,
    int Status,
    string Outcome,
    double DurationMs,
    double? TimeToFirstTokenMs,
    int? PromptTokens,
    int? GeneratedTokens,
    double? TokensPerSecond,
    bool Streamed);
