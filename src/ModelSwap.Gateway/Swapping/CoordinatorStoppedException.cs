namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// The coordinator is shutting down: requests still queued, and any made afterwards, get this
/// (HTTP callers answer 503).
/// </summary>
internal sealed class CoordinatorStoppedException : Exception
{
    public CoordinatorStoppedException()
        : base("ModelSwap is shutting down; no model can be started")
    {
    }
}
