using System.Collections.Immutable;

namespace ModelSwap.Core.Configuration;

/// <summary>
/// Which models a reload adds, removes, changes or leaves alone. A model is Changed only when its
/// <see cref="ModelConfig.RuntimeFingerprint"/> differs, i.e. its process must restart; a change of
/// name, description, metadata, aliases, filters or TTL is applied without a restart.
/// </summary>
public sealed record ConfigDiff(
    ImmutableArray<string> Added,
    ImmutableArray<string> Removed,
    ImmutableArray<string> Changed,
    ImmutableArray<string> Unchanged)
{
    public bool HasRestartWork => !Removed.IsEmpty || !Changed.IsEmpty;

    public bool IsEmpty => Added.IsEmpty && Removed.IsEmpty && Changed.IsEmpty;

    /// <summary>Compares two configs model by model; every list is sorted by id (ordinal).</summary>
    public static ConfigDiff Compute(ModelSwapConfig previous, ModelSwapConfig next)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        var added = ImmutableArray.CreateBuilder<string>();
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
        var removed = previous.Models.Keys.Where(id => !next.Models.ContainsKey(id)).ToImmutableArray();
        return new ConfigDiff(added.ToImmutable(), removed, changed.ToImmutable(), unchanged.ToImmutable());
    }
}
