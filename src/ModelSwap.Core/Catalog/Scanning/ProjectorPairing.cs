using System.Text.RegularExpressions;

namespace ModelSwap.Core.Catalog.Scanning;

/// <summary>
/// Pairs vision projectors (mmproj files) with the models in their folder. A model takes the
/// projector whose name, without <c>mmproj</c> and quantization, matches its own name without
/// quantization (equal, or one a prefix of the other; the longest match wins, then ordinal
/// order); a model alone in its folder takes the folder's projector even when names differ
/// (<c>mmproj-model-f16.gguf</c>). One projector may serve several quantizations of one model.
/// </summary>
internal static partial class ProjectorPairing
{
    /// <summary>Projector path by model path, for the models that got one.</summary>
    public static IReadOnlyDictionary<string, string> Pair(IReadOnlyList<string> models, IReadOnlyList<string> projectors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var projectorsByFolder = projectors
            .GroupBy(p => Path.GetDirectoryName(p) ?? "", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        foreach (var folder in models.GroupBy(m => Path.GetDirectoryName(m) ?? "", StringComparer.Ordinal))
        {
            if (!projectorsByFolder.TryGetValue(folder.Key, out var candidates))
            {
                continue;
            }
            var folderModels = folder.ToList();
            foreach (var model in folderModels)
            {
                var key = Key(Path.GetFileName(model));
                var best = candidates
                    .Select(p => (Path: p, Key: Key(Path.GetFileName(p))))
                    .Where(p => p.Key.Length > 0 && (key.StartsWith(p.Key, StringComparison.Ordinal) || p.Key.StartsWith(key, StringComparison.Ordinal)))
                    .OrderByDescending(p => Math.Min(p.Key.Length, key.Length))
                    .ThenBy(p => p.Path, StringComparer.Ordinal)
                    .Select(p => p.Path)
                    .FirstOrDefault();
                if (best is null && folderModels.Count == 1)
                {
                    best = candidates[0];
                }
                if (best is not null)
                {
                    result[model] = best;
                }
            }
        }
        return result;
    }

    /// <summary>The name reduced to what identifies the model: no mmproj, quantization, split suffix, separators or case.</summary>
    internal static string Key(string fileName)
    {
        var stem = fileName.ToLowerInvariant();
        stem = stem.EndsWith(".gguf", StringComparison.Ordinal) ? stem[..^5] : stem;
        stem = GgufNames.Split().Match(stem) is { Success: true } split ? split.Groups["base"].Value : stem;
        stem = GgufNames.TrailingQuantization(stem)?.Remainder ?? stem;
        stem = Mmproj().Replace(stem, "");
        stem = GgufNames.TrailingQuantization(stem)?.Remainder ?? stem;
        var key = NonAlphanumeric().Replace(stem, "");
        // "mmproj-model-f16.gguf" names no model; only the one-model-per-folder rule can pair it.
        return key == "model" ? "" : key;
    }

    [GeneratedRegex(@"(?:^|[-._])mmproj(?=$|[-._])")]
    private static partial Regex Mmproj();

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();
}
