namespace ModelSwap.Gateway.Management;

/// <summary>A model file's GGUF metadata (key → value as text; long arrays as their length) and its chat template.</summary>
public sealed record ModelHeaderView(string Path, IReadOnlyList<KeyValuePair<string, string>> Metadata, string? ChatTemplate);
