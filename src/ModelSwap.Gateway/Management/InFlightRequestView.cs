namespace ModelSwap.Gateway.Management;

/// <summary>A request to a model not yet ended: <see cref="State"/> is <c>queued</c> (waiting for its model) or <c>forwarding</c>.</summary>
public sealed record InFlightRequestView(string Id, string Model, string Client, string? UserAgent, string Route, string State, int? Pid,
    DateTimeOffset Started, double ElapsedSeconds, int TokensSoFar);
