namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// Queued requests as groups by model, ordered by each group's first arrival. A request for a model
/// that already has a group joins it, so a swap serves every waiting request of a model at once.
/// </summary>
internal sealed class WaitQueue
{
    private readonly LinkedList<WaitGroup> _groups = new();
    private readonly Dictionary<string, LinkedListNode<WaitGroup>> _byModel = new(StringComparer.Ordinal);

    public WaitGroup? Head => _groups.First?.Value;

    public bool IsEmpty => _groups.Count == 0;

    /// <summary>Groups in order; a copy, so callers may remove groups while walking it.</summary>
    public WaitGroup[] Snapshot() => [.. _groups];

    public void Enqueue(Waiter waiter)
    {
        if (!_byModel.TryGetValue(waiter.ModelId, out var node))
        {
            node = _groups.AddLast(new WaitGroup(waiter.ModelId));
            _byModel.Add(waiter.ModelId, node);
        }
        node.Value.Waiters.Add(waiter);
    }

    public int CountFor(string modelId) =>
        _byModel.TryGetValue(modelId, out var node) ? node.Value.Waiters.Count : 0;

    public bool Has(string modelId) => _byModel.ContainsKey(modelId);

    /// <summary>Removes and returns the model's group, or null when none is queued.</summary>
    public WaitGroup? Take(string modelId)
    {
        if (!_byModel.Remove(modelId, out var node))
        {
            return null;
        }
        _groups.Remove(node);
        return node.Value;
    }

    /// <summary>Removes one waiter; its group goes too when it was the last. False when not queued.</summary>
    public bool Remove(Waiter waiter)
    {
        if (!_byModel.TryGetValue(waiter.ModelId, out var node) || !node.Value.Waiters.Remove(waiter))
        {
            return false;
        }
        if (node.Value.Waiters.Count == 0)
        {
            Take(waiter.ModelId);
        }
        return true;
    }

    /// <summary>Removes and returns every group, in order.</summary>
    public WaitGroup[] TakeAll()
    {
        var all = Snapshot();
        _groups.Clear();
        _byModel.Clear();
        return all;
    }
}
