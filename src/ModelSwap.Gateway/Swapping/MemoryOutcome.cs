namespace ModelSwap.Gateway.Swapping;

/// <summary>What <see cref="MemoryPolicy"/> decided for a model about to start.</summary>
internal enum MemoryOutcome
{
    /// <summary>It fits beside what runs: start it.</summary>
    Fits,
    /// <summary>It fits once the listed models have stopped (each after its in-flight requests).</summary>
    Evict,
    /// <summary>It would fit, but only by stopping models that have requests queued: wait for them to be served.</summary>
    Wait,
    /// <summary>It needs more than the whole budget: it can never start.</summary>
    TooLarge,
    /// <summary>It fits the budget, but not beside the persistent models, which are never stopped.</summary>
    BlockedByPersistent,
}
