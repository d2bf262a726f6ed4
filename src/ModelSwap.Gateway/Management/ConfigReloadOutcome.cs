namespace ModelSwap.Gateway.Management;

/// <summary>POST /api/config/reload: whether the file was applied and which models it touched.</summary>
/// <param name="Applied">False when the file is invalid (the last good config stays; see <paramref name="Errors"/>).</param>
/// <param name="Changed">Models whose process restarts (after their in-flight requests end).</param>
/// <param name="Errors">Every error, with its line.</param>
public sealed record ConfigReloadOutcome(
    string Config,
    bool Applied,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Changed,
    IReadOnlyList<string> Unchanged,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Warnings);
