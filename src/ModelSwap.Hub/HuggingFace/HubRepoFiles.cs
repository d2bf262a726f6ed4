namespace ModelSwap.Hub.HuggingFace;

/// <summary>A repo's files at a revision, with its GGUF models grouped and its mmproj companions apart.</summary>
public sealed record HubRepoFiles(
    string Repo,
    string Revision,
    IReadOnlyList<HubFile> Files,
    IReadOnlyList<GgufVariant> Variants,
    IReadOnlyList<HubFile> Projectors)
{
    public HubFile? FindFile(string path) =>
        Files.FirstOrDefault(f => string.Equals(f.Path, path, StringComparison.Ordinal));
}
