namespace ModelSwap.Hub.Store;

public sealed record ManifestFile(string Path, long Size, string? Sha256);
