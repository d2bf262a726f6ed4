using ModelSwap.Core.Catalog;

namespace ModelSwap.Hub.HuggingFace;

/// <summary>Groups a repo's files into models (split parts together) and mmproj companions.</summary>
internal static class GgufVariantGrouper
{
    public static (IReadOnlyList<GgufVariant> Variants, IReadOnlyList<HubFile> Projectors) Group(IEnumerable<HubFile> files)
    {
        var projectors = new List<HubFile>();
        var groups = new Dictionary<string, List<(int Part, HubFile File)>>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!GgufFileNames.IsGguf(file.Path))
            {
                continue;
            }
            if (GgufFileNames.IsProjector(file.Path))
            {
                projectors.Add(file);
                continue;
            }
            var directory = DirectoryOf(file.Path);
            string key;
            int part = 1;
            if (GgufFileNames.TryParseSplit(file.Path, out var baseName, out part, out var count))
            {
                // The directory and the part count are in the key: two quants may share a base name in
                // different folders, and a stray re-split with another count is another model.
                key = $"{directory}\n{baseName}\n{count}";
            }
            else
            {
                key = file.Path;
                part = 1;
            }
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
                names[key] = baseName;
            }
            list.Add((part, file));
        }
        var variants = groups
            .Select(g =>
            {
                var ordered = g.Value.OrderBy(p => p.Part).Select(p => p.File).ToList();
                return new GgufVariant(names[g.Key], GgufNames.QuantizationOf(ordered[0].Path), ordered);
            })
            .OrderBy(v => v.TotalSize)
            .ThenBy(v => v.Primary.Path, StringComparer.Ordinal)
            .ToList();
        projectors.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return (variants, projectors);
    }

    /// <summary>
    /// The mmproj a model should come with, by Core's one projector rule (<see cref="ProjectorRule"/>),
    /// over the repo's layout: the answer a scan of a folder holding the repo's models would give.
    /// </summary>
    /// <param name="variants">Every model of the repo (or of the job), so a generic projector is not taken for one of several different models.</param>
    public static HubFile? ChooseProjector(GgufVariant variant, IReadOnlyList<GgufVariant> variants, IReadOnlyList<HubFile> projectors)
    {
        var path = ProjectorRule.Choose(variant.Primary.Path, variants.Select(v => v.Primary.Path), projectors.Select(p => p.Path));
        return path is null ? null : projectors.First(p => string.Equals(p.Path, path, StringComparison.Ordinal));
    }

    private static string DirectoryOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }
}
