using ModelSwap.Hub.Downloads;

namespace ModelSwap.Hub.HuggingFace;

/// <summary>
/// Picks the files a pull needs from a repo listing: the requested (or default) variant with all its
/// split parts, plus the mmproj companion when the repo has one. Unknown quants list what exists.
/// </summary>
internal static class PullPlanner
{
    public static DownloadRequest Plan(HubRepoFiles files, ModelReference reference, bool includeProjector = true)
    {
        var variant = ChooseVariant(files, reference);
        var chosen = new List<HubFile>(variant.Files);
        if (includeProjector && GgufVariantGrouper.ChooseProjector(variant, files.Variants, files.Projectors) is { } projector)
        {
            chosen.Add(projector);
        }
        return new DownloadRequest(
            files.Repo,
            files.Revision,
            chosen.Select(f => new DownloadFile(f.Path, f.Size, f.Sha256)).ToList());
    }

    public static GgufVariant ChooseVariant(HubRepoFiles files, ModelReference reference)
    {
        if (files.Variants.Count == 0)
        {
            throw new HubException($"{files.Repo}@{files.Revision} has no .gguf model files"
                + (files.Projectors.Count > 0 ? " (only mmproj projectors)." : "."), 404);
        }
        if (reference.FilePath is { } path)
        {
            var byFile = files.Variants.FirstOrDefault(v => v.Files.Any(f => string.Equals(f.Path, path, StringComparison.Ordinal)))
                ?? files.Variants.FirstOrDefault(v => v.Files.Any(f => string.Equals(f.Path, path, StringComparison.OrdinalIgnoreCase)));
            return byFile ?? throw new HubException(
                $"{files.Repo}@{files.Revision} has no model file '{path}'. Model files: {string.Join(", ", files.Variants.Select(v => v.Primary.Path))}.", 404);
        }
        if (reference.Quantization is { } wanted)
        {
            var exact = files.Variants.Where(v => string.Equals(v.Quantization, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
            var matches = exact.Count > 0 ? exact : files.Variants.Where(v => GgufFileNames.QuantizationMatches(v.Quantization, wanted)).ToList();
            if (matches.Count == 0)
            {
                throw new HubException($"{files.Repo} has no {wanted.ToUpperInvariant()} file. Available: {AvailableQuants(files)}.", 404);
            }
            if (matches.Count > 1)
            {
                throw new HubException($"{files.Repo} has several {wanted.ToUpperInvariant()} models; name the file instead: "
                    + string.Join(", ", matches.Select(m => $"{files.Repo}/{m.Primary.Path}")) + ".", 400);
            }
            return matches[0];
        }
        foreach (var preferred in GgufFileNames.DefaultPreference)
        {
            var match = files.Variants.FirstOrDefault(v => string.Equals(v.Quantization, preferred, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return match;
            }
        }
        // No usual quant: a single-model repo (often F16 or unnamed) gives its only or smallest model.
        return files.Variants[0];
    }

    public static string AvailableQuants(HubRepoFiles files) =>
        string.Join(", ", files.Variants.Select(v => v.Quantization ?? v.Primary.Path).Distinct(StringComparer.OrdinalIgnoreCase));
}
