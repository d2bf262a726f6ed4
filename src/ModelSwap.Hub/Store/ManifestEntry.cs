namespace ModelSwap.Hub.Store;

/// <summary>
/// Where a downloaded model came from. Paths are relative to the models dir with '/' separators;
/// <see cref="Files"/> holds every split part in order, <see cref="Projector"/> the mmproj that came with it.
/// </summary>
public sealed record ManifestEntry(
    string Path,
    string Repo,
    string Revision,
    string? Commit,
    IReadOnlyList<ManifestFile> Files,
    string? Projector,
    DateTimeOffset DownloadedAt);
