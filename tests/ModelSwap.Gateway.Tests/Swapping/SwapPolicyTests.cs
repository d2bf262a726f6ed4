using System.Collections.Immutable;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Swapping;
using static ModelSwap.Gateway.Tests.Swapping.TestConfigs;

namespace ModelSwap.Gateway.Tests.Swapping;

public sealed class SwapPolicyTests
{
    private static string[] Evict(string target, string[] running, ModelSwapConfig config) =>
        [.. SwapPolicy.EvictionsFor(target, running, config)];

    [Fact]
    public void Ungrouped_models_swap_with_each_other()
    {
        var config = Config(["a", "b", "c"]);
        Assert.Equal(["a", "c"], Evict("b", ["c", "a"], config));
    }

    [Fact]
    public void Target_is_never_evicted_even_when_listed_as_running()
    {
        var config = Config(["a", "b"]);
        Assert.Equal(["b"], Evict("a", ["a", "b"], config));
        Assert.Empty(Evict("a", ["a"], config));
    }

    [Fact]
    public void Nothing_running_evicts_nothing()
    {
        Assert.Empty(Evict("a", [], Config(["a", "b"])));
    }

    [Fact]
    public void Swap_false_lets_members_run_together()
    {
        var config = Config(["a", "b"], Group("g", swap: false, exclusive: true, persistent: false, "a", "b"));
        Assert.Empty(Evict("a", ["b"], config));
    }

    [Fact]
    public void Swap_true_group_evicts_its_other_members_only()
    {
        var config = Config(["a", "b", "x"],
            Group("g", swap: true, exclusive: false, persistent: false, "a", "b"));
        Assert.Equal(["b"], Evict("a", ["b", "x"], config));
    }

    [Fact]
    public void Exclusive_group_evicts_other_non_persistent_groups_and_ungrouped_models()
    {
        var config = Config(["a", "emb", "other", "solo"],
            Group("main", swap: true, exclusive: true, persistent: false, "a"),
            Group("embed", swap: false, exclusive: false, persistent: true, "emb"),
            Group("side", swap: true, exclusive: false, persistent: false, "other"));
        Assert.Equal(["other", "solo"], Evict("a", ["emb", "other", "solo"], config));
    }

    [Fact]
    public void Ungrouped_model_evicts_non_persistent_groups_but_never_persistent_ones()
    {
        var config = Config(["solo", "emb", "other"],
            Group("embed", swap: true, exclusive: false, persistent: true, "emb"),
            Group("side", swap: true, exclusive: false, persistent: false, "other"));
        Assert.Equal(["other"], Evict("solo", ["emb", "other"], config));
    }

    [Fact]
    public void Non_exclusive_groups_run_alongside_each_other()
    {
        var config = Config(["a", "b"],
            Group("g1", swap: true, exclusive: false, persistent: false, "a"),
            Group("g2", swap: true, exclusive: false, persistent: false, "b"));
        Assert.Empty(Evict("a", ["b"], config));
        Assert.Empty(Evict("b", ["a"], config));
    }

    [Fact]
    public void Persistent_group_still_swaps_within_itself()
    {
        var config = Config(["e1", "e2"], Group("embed", swap: true, exclusive: false, persistent: true, "e1", "e2"));
        Assert.Equal(["e2"], Evict("e1", ["e2"], config));
    }

    [Fact]
    public void A_running_model_unknown_to_the_config_counts_as_ungrouped()
    {
        // A reload may remove a model that still runs; it must not crash the policy.
        var config = Config(["a"], Group("g", swap: true, exclusive: true, persistent: false, "a"));
        Assert.Equal(["gone"], Evict("a", ["gone"], config));
    }

    [Fact]
    public void Result_is_sorted_ordinally_and_has_no_duplicates()
    {
        var config = Config(["B", "a", "c", "t"]);
        Assert.Equal(["B", "a", "c"], Evict("t", ["c", "a", "B", "a"], config));
    }

    // The oracle, written as a truth table rather than as the rule, so the two cannot share a mistake:
    // (other in the target's group, target group swap, target group exclusive, other's group persistent) → evicted.
    private static readonly Dictionary<(bool Same, bool Swap, bool Exclusive, bool OtherPersistent), bool> Table = new()
    {
        [(true, false, false, false)] = false,
        [(true, false, false, true)] = false,
        [(true, false, true, false)] = false,
        [(true, false, true, true)] = false,
        [(true, true, false, false)] = true,
        [(true, true, false, true)] = true,
        [(true, true, true, false)] = true,
        [(true, true, true, true)] = true,
        [(false, false, false, false)] = false,
        [(false, false, false, true)] = false,
        [(false, false, true, false)] = true,
        [(false, false, true, true)] = false,
        [(false, true, false, false)] = false,
        [(false, true, false, true)] = false,
        [(false, true, true, false)] = true,
        [(false, true, true, true)] = false,
    };

    private sealed record Flags(bool Swap, bool Exclusive, bool Persistent);

    private static readonly Flags DefaultFlags = new(Swap: true, Exclusive: true, Persistent: false);

    private static readonly Flags[] AllFlags =
        [.. from s in new[] { false, true } from e in new[] { false, true } from p in new[] { false, true } select new Flags(s, e, p)];

    [Theory]
    [InlineData(2, 3, 2)] // two groups of 1–3 members each, with 0–2 ungrouped models
    [InlineData(3, 2, 1)] // three groups of 1–2 members each, with 0–1 ungrouped models
    [InlineData(3, 3, 0)] // three groups of 1–3 members each
    public void Matches_the_truth_table_for_every_flag_combination_membership_and_running_set(int groupCount, int maxMembers, int maxUngrouped)
    {
        var failures = new List<string>();
        var checkedCases = 0L;
        foreach (var flags in Combinations(AllFlags, groupCount))
        {
            foreach (var sizes in Combinations(Enumerable.Range(1, maxMembers).ToArray(), groupCount))
            {
                for (var ungrouped = 0; ungrouped <= maxUngrouped; ungrouped++)
                {
                    checkedCases += CheckAll(flags, sizes, ungrouped, failures);
                    if (failures.Count >= 10)
                    {
                        Assert.Fail(string.Join('\n', failures));
                    }
                }
            }
        }
        Assert.Empty(failures);
        Assert.True(checkedCases > 100_000, $"only {checkedCases} cases checked");
    }

    private static long CheckAll(Flags[] groupFlags, int[] sizes, int ungrouped, List<string> failures)
    {
        // Each model's group index (-1 = ungrouped) and flags, known here without asking the config.
        var models = new List<(string Id, int Group, Flags Flags)>();
        var groups = new List<GroupConfig>();
        for (var g = 0; g < groupFlags.Length; g++)
        {
            var members = Enumerable.Range(0, sizes[g]).Select(m => $"g{g}m{m}").ToArray();
            groups.Add(Group($"group{g}", groupFlags[g].Swap, groupFlags[g].Exclusive, groupFlags[g].Persistent, members));
            models.AddRange(members.Select(id => (id, g, groupFlags[g])));
        }
        models.AddRange(Enumerable.Range(0, ungrouped).Select(u => ($"u{u}", -1, DefaultFlags)));
        var config = Config([.. models.Select(m => m.Id)], [.. groups]);

        // Per target, the set of models the table says it evicts, as a bit mask; model ids are built in
        // ordinal order, so walking bits upwards gives the sorted expected list.
        var evictMasks = models.Select(target => models
            .Select((r, i) => r.Id != target.Id
                && Table[(r.Group == target.Group, target.Flags.Swap, target.Flags.Exclusive, r.Flags.Persistent)] ? 1 << i : 0)
            .Sum()).ToArray();
        Assert.True(models.Select(m => m.Id).SequenceEqual(models.Select(m => m.Id).Order(StringComparer.Ordinal)));

        long count = 0;
        for (var mask = 0; mask < 1 << models.Count; mask++)
        {
            var runningIds = models.Where((_, i) => (mask & (1 << i)) != 0).Select(m => m.Id).ToArray();
            for (var t = 0; t < models.Count; t++)
            {
                var expectedMask = mask & evictMasks[t];
                var actual = SwapPolicy.EvictionsFor(models[t].Id, runningIds, config);
                count++;
                var matches = actual.Length == int.PopCount(expectedMask);
                for (int i = 0, k = 0; matches && i < models.Count; i++)
                {
                    if ((expectedMask & (1 << i)) != 0)
                    {
                        matches = actual[k++] == models[i].Id;
                    }
                }
                if (!matches)
                {
                    var expected = models.Where((_, i) => (expectedMask & (1 << i)) != 0).Select(m => m.Id);
                    failures.Add($"flags [{string.Join(", ", groupFlags)}] sizes [{string.Join(",", sizes)}] ungrouped {ungrouped}: " +
                        $"target {models[t].Id}, running [{string.Join(",", runningIds)}]: expected [{string.Join(",", expected)}], got [{string.Join(",", actual)}]");
                }
            }
        }
        return count;
    }

    private static IEnumerable<T[]> Combinations<T>(T[] choices, int length)
    {
        if (length == 0)
        {
            yield return [];
            yield break;
        }
        foreach (var rest in Combinations(choices, length - 1))
        {
            foreach (var choice in choices)
            {
                yield return [.. rest, choice];
            }
        }
    }
}
