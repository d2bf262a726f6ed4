namespace ModelSwap.Gateway.Swapping;

/// <summary>The requests queued for one model, in arrival order; served together (A A B B, not A B A B).</summary>
internal sealed class WaitGroup
{
    public WaitGroup(string modelId)
    {
        ModelId = modelId;
    }

    public string ModelId { get; }

    public List<Waiter> Waiters { get; } = [];
}
