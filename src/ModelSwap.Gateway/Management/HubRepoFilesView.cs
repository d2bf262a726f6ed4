namespace ModelSwap.Gateway.Management;

/// <summary>A repository's files at a revision: its GGUF models grouped by quantization, its vision projectors apart.</summary>
public sealed record HubRepoFilesView(
    string Repo,
    string Revision,
    IReadOnlyList<HubFileView> Files,
    IReadOnlyList<HubVariantView> Variants,
    IReadOnlyList<HubFileView> Projectors)
{
    internal static HubRepoFilesView From(Hub.HuggingFace.HubRepoFiles r) => new(
        r.Repo, r.Revision, r.Files.Select(HubFileView.From).ToList(), r.Variants.Select(HubVariantView.From).ToList(),
        r.Projectors.Select(HubFileView.From).ToList());
}
