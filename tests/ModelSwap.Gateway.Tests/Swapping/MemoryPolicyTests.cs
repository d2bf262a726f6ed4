using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Tests.Swapping;

/// <summary>The pure memory policy: inputs in, decision out.</summary>
public sealed class MemoryPolicyTests
{
    private const long M = 1024 * 1024;
    private static readonly MemoryBudget Budget700 = new(700 * M, null);
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static MemoryResident R(string id, long mib, int usedAt, bool stopping = false, bool persistent = false, bool wanted = false, long gpuMib = 0) =>
        new(id, new MemoryNeed(mib * M, gpuMib * M), usedAt < 0 ? null : T0.AddMinutes(usedAt), stopping, persistent, wanted);

    private static MemoryDecision Decide(long needMib, params MemoryResident[] residents) =>
        MemoryPolicy.Decide(new MemoryNeed(needMib * M, 0), residents, [], Budget700);

    [Fact]
    public void Fits_beside_what_runs() =>
        Assert.Equal(MemoryOutcome.Fits, Decide(300, R("a", 300, 1)).Outcome);

    [Fact]
    public void Evicts_the_least_recently_used_first()
    {
        var decision = Decide(300, R("a", 300, 5), R("b", 300, 2));
        Assert.Equal(MemoryOutcome.Evict, decision.Outcome);
        Assert.Equal(["b"], decision.Evictions.ToArray());
        Assert.Equal(300 * M, decision.Freed.RamBytes);
    }

    [Fact]
    public void Never_used_counts_as_oldest_and_ties_go_by_id()
    {
        Assert.Equal(["z"], Decide(300, R("a", 300, 1), R("z", 300, -1)).Evictions.ToArray());
        Assert.Equal(["a"], Decide(300, R("b", 300, 1), R("a", 300, 1)).Evictions.ToArray());
    }

    [Fact]
    public void Evicts_as_many_as_needed_and_no_more()
    {
        var decision = Decide(500, R("a", 200, 1), R("b", 200, 2), R("c", 200, 3));
        Assert.Equal(["a", "b"], decision.Evictions.ToArray());
    }

    [Fact]
    public void Never_evicts_a_persistent_model()
    {
        var decision = Decide(300, R("p", 300, 0, persistent: true), R("a", 300, 9));
        Assert.Equal(["a"], decision.Evictions.ToArray());
    }

    [Fact]
    public void Blocked_by_persistent_models_fails_without_evicting()
    {
        var decision = Decide(500, R("p", 300, 0, persistent: true), R("a", 100, 9));
        Assert.Equal(MemoryOutcome.BlockedByPersistent, decision.Outcome);
        Assert.True(decision.CannotStart);
        Assert.Empty(decision.Evictions);
        Assert.Equal(300 * M, decision.HeldByPersistent.RamBytes);
    }

    [Fact]
    public void Larger_than_the_budget_fails_without_evicting()
    {
        var decision = Decide(2048, R("a", 100, 1));
        Assert.Equal(MemoryOutcome.TooLarge, decision.Outcome);
        Assert.Empty(decision.Evictions);
    }

    [Fact]
    public void Models_with_queued_requests_make_it_wait_rather_than_be_evicted()
    {
        var decision = Decide(300, R("a", 300, 1, wanted: true), R("b", 300, 2, wanted: true));
        Assert.Equal(MemoryOutcome.Wait, decision.Outcome);
        Assert.Empty(decision.Evictions);
    }

    [Fact]
    public void Stopping_models_are_waited_for_before_others_are_evicted()
    {
        var decision = Decide(300, R("a", 300, 1), R("b", 300, 9, stopping: true));
        Assert.Equal(["b"], decision.Evictions.ToArray());
    }

    [Fact]
    public void Group_evictions_count_as_freed()
    {
        var decision = MemoryPolicy.Decide(new MemoryNeed(300 * M, 0), [R("a", 300, 1), R("b", 300, 9)], ["b"], Budget700);
        Assert.Equal(MemoryOutcome.Evict, decision.Outcome);
        Assert.Empty(decision.Evictions);
    }

    [Fact]
    public void Gpu_memory_is_a_budget_of_its_own()
    {
        var budget = new MemoryBudget(10_000 * M, 8_000 * M);
        var fits = MemoryPolicy.Decide(new MemoryNeed(100 * M, 4_000 * M), [R("a", 100, 1, gpuMib: 3_000)], [], budget);
        Assert.Equal(MemoryOutcome.Fits, fits.Outcome);
        var evict = MemoryPolicy.Decide(new MemoryNeed(100 * M, 6_000 * M), [R("a", 100, 1, gpuMib: 3_000), R("b", 100, 2)], [], budget);
        Assert.Equal(["a"], evict.Evictions.ToArray());
        var noGpu = MemoryPolicy.Decide(new MemoryNeed(100 * M, 1), [], [], new MemoryBudget(10_000 * M, null));
        Assert.Equal(MemoryOutcome.TooLarge, noGpu.Outcome);
    }

    /// <summary>Every combination of three residents' flags and ages: the decision's invariants hold.</summary>
    [Fact]
    public void Invariants_hold_over_every_combination()
    {
        var flags = new[] { (false, false, false), (true, false, false), (false, true, false), (false, false, true) };
        foreach (var need in new long[] { 100, 300, 500, 700, 900 })
        {
            foreach (var fa in flags)
            {
                foreach (var fb in flags)
                {
                    foreach (var fc in flags)
                    {
                        var residents = new[]
                        {
                            R("a", 200, 3, fa.Item1, fa.Item2, fa.Item3), R("b", 300, 1, fb.Item1, fb.Item2, fb.Item3), R("c", 100, 2, fc.Item1, fc.Item2, fc.Item3),
                        };
                        var d = MemoryPolicy.Decide(new MemoryNeed(need * M, 0), residents, [], Budget700);
                        var evicted = residents.Where(r => d.Evictions.Contains(r.ModelId)).ToList();
                        Assert.All(evicted, r => Assert.True(r.Stopping || (!r.Persistent && !r.Wanted), $"{r.ModelId} may not be evicted"));
                        if (d.Outcome is MemoryOutcome.Fits or MemoryOutcome.Evict)
                        {
                            var after = residents.Sum(r => r.Holds.RamBytes) - evicted.Sum(r => r.Holds.RamBytes) + need * M;
                            Assert.True(after <= Budget700.RamBytes, $"need {need}: does not fit after evicting {string.Join(",", d.Evictions)}");
                        }
                        else
                        {
                            Assert.Empty(d.Evictions);
                        }
                        if (need > 700)
                        {
                            Assert.Equal(MemoryOutcome.TooLarge, d.Outcome);
                        }
                    }
                }
            }
        }
    }
}
