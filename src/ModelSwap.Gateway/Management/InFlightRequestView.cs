namespace ModelSwap.Gateway.Management;

/// <summary>A request to a model not yet ended: <see cref="State"/> is <c>queued</c> (waiting for its model) or <c>forwarding</c>.</summary>
public sealed record InFlightRequestView(string Id, string Model, string Client, string? UserAgent, string Route, string State, int? Pid,
    DateTimeOffset Started, double ElapsedSeconds, int TokensSoFar)
{
    internal static InFlightRequestView From(Activity.InFlightRequest request, DateTimeOffset now) =>
        new(request.Id, request.Model, request.Client, request.UserAgent, request.Route, request.State, request.Pid,
            request.Started, Math.Max(0, (now - request.Started).TotalSeconds), request.TokensSoFar);
}
