namespace ModelSwap.Hub.Store;

/// <summary>
/// A model file set on disk. <see cref="Path"/> is what llama.cpp is given (first part of a split model);
/// <see cref="Files"/> is every part; <see cref="Projector"/> the mmproj companion, if any;
/// <see cref="Origin"/> comes from the manifest (null for files not downloaded by ModelSwap).
/// </summary>
public sealed record LocalModel(
    string Name,
    string Path,
    string ModelsDir,
    IReadOnlyList<string> Files,
    long SizeBytes,
    string? Projector,
    ModelOrigin? Origin,
    bool IsComplete);
