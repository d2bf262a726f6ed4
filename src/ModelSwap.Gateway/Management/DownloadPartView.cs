namespace ModelSwap.Gateway.Management;

/// <summary>One file of a download as the plan named it, in the order the files are fetched.</summary>
/// <param name="Path">The file's path in the repo.</param>
/// <param name="Size">Bytes; null when the Hub did not list it.</param>
/// <param name="Sha256">Lower-case hex of the file's SHA-256; null when the Hub did not list it (then it is checked against the download's own ETag hash).</param>
public sealed record DownloadPartView(string Path, long? Size, string? Sha256);
