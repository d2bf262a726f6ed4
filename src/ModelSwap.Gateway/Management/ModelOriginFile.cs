namespace ModelSwap.Gateway.Management;

/// <summary>One downloaded file: path relative to its models folder, size in bytes, sha256 (hex) when known.</summary>
public sealed record ModelOriginFile(string Path, long Size, string? Sha256);
