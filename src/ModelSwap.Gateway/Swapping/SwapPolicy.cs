using System.Collections.Immutable;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// Which running models must stop before (or when) a model is served, by llama-swap's group rules.
/// Pure: no I/O, no state, so it is tested exhaustively without processes.
/// </summary>
internal static class SwapPolicy
{
    /// <summary>
    /// The running models to evict when <paramref name="target"/> is started or served, sorted by ordinal
    /// id; never contains <paramref name="target"/>. Models in no group (or unknown to the config, e.g. one
    /// a reload removed) form the default group, with swap and exclusive on and persistent off.
    /// <list type="bullet">
    /// <item>same group: evicted when the target's group has <c>swap</c> on;</item>
    /// <item>another group: evicted when the target's group is <c>exclusive</c> and that group is not <c>persistent</c>.</item>
    /// </list>
    /// </summary>
    public static ImmutableArray<string> EvictionsFor(string target, IReadOnlyCollection<string> running, ModelSwapConfig config)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(config);
        if (running.Count == 0)
        {
            return [];
        }
        var targetGroup = GroupOf(target, config);
        var evictions = ImmutableArray.CreateBuilder<string>();
        foreach (var other in running)
        {
            if (string.Equals(other, target, StringComparison.Ordinal))
            {
                continue;
            }
            var otherGroup = GroupOf(other, config);
            var evict = ReferenceEquals(otherGroup, targetGroup) || string.Equals(otherGroup.Id, targetGroup.Id, StringComparison.Ordinal)
                ? targetGroup.Swap
                : targetGroup.Exclusive && !otherGroup.Persistent;
            if (evict && !evictions.Contains(other))
            {
                evictions.Add(other);
            }
        }
        evictions.Sort(StringComparer.Ordinal);
        return evictions.ToImmutable();
    }

    // ModelSwapConfig.GroupOf builds the default group's member list on every call; this is on every
    // request's path, so look up membership only and use shared flags for the default group.
    private static readonly GroupConfig DefaultGroup = GroupConfig.DefaultFor([]);

    private static GroupConfig GroupOf(string modelId, ModelSwapConfig config)
    {
        // The dictionary's own struct enumerator: .Values would allocate on every call.
        foreach (var (_, group) in config.Groups)
        {
            foreach (var member in group.Members)
            {
                if (string.Equals(member, modelId, StringComparison.Ordinal))
                {
                    return group;
                }
            }
        }
        return DefaultGroup;
    }
}
