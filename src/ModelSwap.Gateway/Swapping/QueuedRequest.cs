namespace ModelSwap.Gateway.Swapping;

/// <summary>A request waiting for its model: its place in the queue (1 = next) and when it arrived.</summary>
public sealed record QueuedRequest(int Position, DateTimeOffset Since);
