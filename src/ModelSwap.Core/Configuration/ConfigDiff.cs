using System.Collections.Immutable;

namespace ModelSwap.Core.Configuration;

/// <summary>
/// Which models a reload adds, removes, changes or leaves alone. "Changed" means the process would run
/// differently (<see cref="ModelConfig.RuntimeFingerprint"/>), so only those models are restarted;
/// edits to names, descriptions, TTLs or filters take effect without a restart.
/// </summary>
public sealed record ConfigDiff(
    ImmutableArray<string> Added,
    ImmutableArray<string> Removed,
    ImmutableArray<string> Changed,
    ImmutableArray<string> Unchanged)
{
    public bool IsEmpty => Added.IsEmpty && Removed.IsEmpty && Changed.IsEmpty;

    public static ConfigDiff Compute(ModelSwapConfig previous, ModelSwapConfig next)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        var added = ImmutableArray.CreateBuilder<string>();
        var removed = ImmutableArray.CreateBuilder<string>();
        var changed = ImmutableArray.CreateBuilder<string>();
        var unchanged = ImmutableArray.CreateBuilder<string>();
        foreach (var (id, model) in next.Models)
        {
            if (!previous.Models.TryGetValue(id, out var old))
            {
                added.Add(id);
            }
            else if (string.Equals(old.RuntimeFingerprint, model.RuntimeFingerprint, StringComparison.Ordinal))
            {
                unchanged.Add(id);
            }
            else
            {
                changed.Add(id);
            }
        }
        foreach (var id in previous.Models.Keys)
        {
            if (!next.Models.ContainsKey(id))
            {
                removed.Add(id);
            }
        }
        // Both dictionaries are sorted by ordinal id, so every list comes out sorted.
        return new ConfigDiff(added.ToImmutable(), removed.ToImmutable(), changed.ToImmutable(), unchanged.ToImmutable());
    }
}
