namespace ModelSwap.Gateway.Management;

/// <summary>What runs the generated models: llama-server (path and version) or the built-in engine.</summary>
/// <param name="Kind">A <see cref="ModelRuntimes"/> value.</param>
public sealed record RuntimeView(string Kind, string? Path, string? Version);
