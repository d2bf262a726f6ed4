namespace ModelSwap.Gateway.Management;

/// <summary>POST /api/config/regenerate: the rescan's result and whether it is served now.</summary>
/// <param name="Models">How many models the generated config serves.</param>
/// <param name="Pending">Files not served yet because they may still be copying.</param>
/// <param name="Changed">The file's content changed.</param>
/// <param name="Applied">The change was reloaded (only changed models restart).</param>
/// <param name="LlamaServer">The llama-server models run with; null for the built-in engine.</param>
public sealed record RegenerateOutcome(
    int Models,
    IReadOnlyList<string> Names,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Pending,
    IReadOnlyList<string> Errors,
    bool Changed,
    bool Applied,
    string? Config,
    string? LlamaServer);
