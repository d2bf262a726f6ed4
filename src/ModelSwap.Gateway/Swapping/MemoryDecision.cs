using System.Collections.Immutable;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// The outcome for a model about to start, the models to stop for it (least recently used first), the
/// bytes they free, and, when it cannot start, what it needs, the budget and what persistent models hold.
/// </summary>
internal sealed record MemoryDecision(MemoryOutcome Outcome, ImmutableArray<string> Evictions, MemoryNeed Freed, MemoryNeed Need, MemoryBudget Budget, MemoryNeed HeldByPersistent)
{
    public bool CannotStart => Outcome is MemoryOutcome.TooLarge or MemoryOutcome.BlockedByPersistent;
}
