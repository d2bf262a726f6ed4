namespace ModelSwap.Gateway.Management;

/// <summary>Where a downloaded model came from (the models folder's manifest).</summary>
/// <param name="Source"><c>repo@revision</c>, as the CLI prints it.</param>
/// <param name="Commit">The commit the revision pointed at when downloaded, when the Hub said.</param>
/// <param name="Files">Each downloaded file with its size and sha256 (when the Hub gave one).</param>
public sealed record ModelOriginView(
    string Repo,
    string Revision,
    string Source,
    string? Commit,
    DateTimeOffset DownloadedAt,
    IReadOnlyList<ModelOriginFile> Files);
