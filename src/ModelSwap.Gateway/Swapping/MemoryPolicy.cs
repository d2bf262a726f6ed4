using System.Collections.Immutable;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// Whether a model fits beside what runs, and which models to stop if not. Pure: no I/O, no state.
/// <list type="bullet">
/// <item>Models the group rules already evict, and models already stopping, count as freed first.</item>
/// <item>Then models are stopped least recently used first (never used counts as oldest; ties by id),
/// skipping persistent ones and ones with queued requests, until the target fits in RAM and in GPU memory.</item>
/// <item>A target larger than the whole budget, or that cannot fit beside the persistent models, is
/// refused without stopping anything.</item>
/// </list>
/// </summary>
internal static class MemoryPolicy
{
    public static MemoryDecision Decide(MemoryNeed need, IReadOnlyCollection<MemoryResident> residents,
        IReadOnlyCollection<string> groupEvictions, MemoryBudget budget)
    {
        ArgumentNullException.ThrowIfNull(residents);
        ArgumentNullException.ThrowIfNull(groupEvictions);
        var persistent = Sum(residents.Where(r => r.Persistent && !groupEvictions.Contains(r.ModelId)));
        MemoryDecision Result(MemoryOutcome outcome, ImmutableArray<string> evictions, MemoryNeed freed) =>
            new(outcome, evictions, freed, need, budget, persistent);

        if (!need.FitsIn(budget))
        {
            return Result(MemoryOutcome.TooLarge, [], default);
        }
        if (!(need + persistent).FitsIn(budget))
        {
            return Result(MemoryOutcome.BlockedByPersistent, [], default);
        }
        var used = Sum(residents);
        if ((used + need).FitsIn(budget))
        {
            return Result(MemoryOutcome.Fits, [], default);
        }
        // Already going: the group rules' evictions (the scheduler waits for them anyway), then stopping models.
        var freed = Sum(residents.Where(r => groupEvictions.Contains(r.ModelId)));
        var evictions = ImmutableArray.CreateBuilder<string>();
        var candidates = residents
            .Where(r => !groupEvictions.Contains(r.ModelId))
            .Where(r => r.Stopping || (!r.Persistent && !r.Wanted))
            .OrderByDescending(r => r.Stopping)
            .ThenBy(r => r.LastUsed ?? DateTimeOffset.MinValue)
            .ThenBy(r => r.ModelId, StringComparer.Ordinal);
        foreach (var resident in candidates)
        {
            if ((used - freed + need).FitsIn(budget))
            {
                break;
            }
            evictions.Add(resident.ModelId);
            freed += resident.Holds;
        }
        if ((used - freed + need).FitsIn(budget))
        {
            return Result(MemoryOutcome.Evict, evictions.ToImmutable(), freed);
        }
        // Only models with queued requests stand in the way: they are served first, then become evictable.
        return Result(MemoryOutcome.Wait, [], default);
    }

    private static MemoryNeed Sum(IEnumerable<MemoryResident> residents)
    {
        var total = default(MemoryNeed);
        foreach (var resident in residents)
        {
            total += resident.Holds;
        }
        return total;
    }
}
