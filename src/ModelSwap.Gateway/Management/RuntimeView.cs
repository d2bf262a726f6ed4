namespace ModelSwap.Gateway.Management;

/// <summary>What runs the generated models: llama-server (path and version) or the built-in engine.</summary>
/// <param name="Kind">A <see cref="ModelRuntimes"/> value.</param>
/// <param name="Path">llama-server's path, or the modelswap executable (or modelswap.dll) that runs the built-in engine.</param>
public sealed record RuntimeView(string Kind, string? Path, string? Version);
