using ModelSwap.Gateway.Management;

namespace ModelSwap.Dashboard.Components.Service;

/// <summary>One line, in words, for what a config reload or regeneration did.</summary>
internal static class ServiceOutcomes
{
    public static string Describe(ConfigReloadOutcome outcome)
    {
        if (!outcome.Applied)
        {
            return $"{outcome.Config} was not applied (the last good config stays): {string.Join("; ", outcome.Errors)}";
        }
        var parts = new List<string>();
        Add(parts, "added", outcome.Added);
        Add(parts, "removed", outcome.Removed);
        Add(parts, "restarting", outcome.Changed);
        return parts.Count == 0 ? $"{outcome.Config} reloaded: nothing changed" : $"{outcome.Config} reloaded: {string.Join("; ", parts)}";
    }

    public static string Describe(RegenerateOutcome outcome)
    {
        if (outcome.Errors.Count > 0)
        {
            return $"The generated config has errors and was not applied: {string.Join("; ", outcome.Errors)}";
        }
        var pending = outcome.Pending.Count > 0 ? $"; still copying: {string.Join(", ", outcome.Pending)}" : "";
        return outcome.Changed
            ? $"Rescanned: {outcome.Models} models, config updated{(outcome.Applied ? " and applied" : "")}{pending}"
            : $"Rescanned: {outcome.Models} models, nothing changed{pending}";
    }

    private static void Add(List<string> parts, string what, IReadOnlyList<string> models)
    {
        if (models.Count > 0)
        {
            parts.Add($"{what} {string.Join(", ", models)}");
        }
    }
}
