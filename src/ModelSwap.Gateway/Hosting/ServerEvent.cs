namespace ModelSwap.Gateway.Hosting;

/// <summary>One server-sent event: its id, its name and its data already serialized as JSON.</summary>
public sealed record ServerEvent(long Id, string Name, string Data);
