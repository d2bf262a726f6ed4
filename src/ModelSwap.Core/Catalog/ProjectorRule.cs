using System.Text.RegularExpressions;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// The one rule for which vision projector (mmproj GGUF) goes with which model file. The scanner uses
/// it to pick the <c>--mmproj</c> a local model starts with, and a Hugging Face pull uses it to pick the
/// mmproj it downloads beside a quantization: so a pulled model starts with the projector it was pulled
/// with. It reads file names only, because a repo listing carries no GGUF header and both sides must
/// answer alike. Paths may be absolute (a scan) or repo-relative with <c>/</c> (a repo listing).
/// <list type="number">
/// <item>Folders, nearest first: the model's folder, then each folder above it. The first folder
/// holding a projector the model may take decides. (Hugging Face repos that keep big quantizations in
/// subfolders ship one <c>mmproj-F16.gguf</c> at the top, and a pull keeps that layout on disk.)</item>
/// <item>A model may take a projector <em>named for it</em>: the projector's key (its name without
/// <c>mmproj</c>, quantization, split suffix, separators and case) equals the model's key or one is a
/// prefix of the other; the longest shared key wins, as the most specific name.</item>
/// <item>Only when no projector there is named for it, a model may take one that names no model
/// (<c>mmproj-F16.gguf</c>, <c>mmproj-model-f16.gguf</c>), and only if the models that projector would
/// serve are all this one model (every quantization has the model's key): the models in the folder
/// itself, or, for a folder above the model, every model below it. A loose generic projector in a
/// folder of unrelated models pairs with none of them: starting a text model with another model's
/// projector fails.</item>
/// <item>Among the projectors still equal, the precision in the name: F16, then F32, then BF16, then a
/// name with none, then quantized ones. F16 is what llama.cpp's converter writes for projectors by
/// default and what ggml-org's own repos ship (<c>mmproj-model-f16.gguf</c>); F32 is lossless but twice
/// the memory for no visible gain; BF16 is not supported by every ggml backend (it falls back to the
/// CPU or fails on some GPUs); a quantized projector visibly hurts image understanding, so it is
/// taken only when it is all there is, whatever the model's own quantization.</item>
/// <item>Last, ordinal path order, so the answer never depends on listing order.</item>
/// </list>
/// </summary>
public static partial class ProjectorRule
{
    /// <summary>Whether a file's name says it is a projector (<c>mmproj</c> anywhere in it, any case).</summary>
    public static bool IsProjectorName(string path) =>
        FileName(path).Contains("mmproj", StringComparison.OrdinalIgnoreCase);

    /// <summary>The projector of every model that gets one, by model path.</summary>
    /// <param name="models">Every model file in scope (the first part of a split model).</param>
    /// <param name="projectors">Every projector file in scope.</param>
    public static IReadOnlyDictionary<string, string> Pair(IEnumerable<string> models, IEnumerable<string> projectors)
    {
        List<Named> all = [.. models.Distinct(StringComparer.Ordinal).Select(m => new Named(m, FolderOf(m), Key(m)))];
        var projectorsByFolder = projectors
            .Distinct(StringComparer.Ordinal)
            .Select(p => new Named(p, FolderOf(p), Key(p)))
            .GroupBy(p => p.Folder, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var model in all)
        {
            if (ChooseFor(model, all, projectorsByFolder) is { } projector)
            {
                result[model.Path] = projector;
            }
        }
        return result;
    }

    /// <summary>The projector for <paramref name="model"/>, or null; <paramref name="models"/> may omit it.</summary>
    public static string? Choose(string model, IEnumerable<string> models, IEnumerable<string> projectors) =>
        Pair(models.Append(model).Distinct(StringComparer.Ordinal), projectors).GetValueOrDefault(model);

    /// <summary>The name reduced to what identifies the model: no mmproj, quantization, split suffix, separators or case.</summary>
    internal static string Key(string path)
    {
        var stem = GgufNames.Stem(path).ToLowerInvariant();
        stem = GgufNames.TrailingQuantization(stem)?.Remainder ?? stem;
        stem = Mmproj().Replace(stem, "");
        stem = GgufNames.TrailingQuantization(stem)?.Remainder ?? stem;
        var key = NonAlphanumeric().Replace(stem, "");
        // "mmproj-model-f16.gguf" names no model, like "mmproj-F16.gguf".
        return key == "model" ? "" : key;
    }

    /// <summary>0 F16, 1 F32, 2 BF16, 3 no precision in the name, 4 quantized (see the rule above).</summary>
    internal static int PrecisionRank(string path)
    {
        var matches = GgufNames.Quantization().Matches(GgufNames.Stem(path));
        if (matches.Count == 0)
        {
            return 3;
        }
        return matches[^1].Groups["quant"].Value.ToUpperInvariant() switch
        {
            "F16" or "FP16" => 0,
            "F32" or "FP32" => 1,
            "BF16" => 2,
            _ => 4,
        };
    }

    private static string FileName(string path)
    {
        var slash = path.LastIndexOfAny(Separators);
        return slash < 0 ? path : path[(slash + 1)..];
    }

    private static readonly char[] Separators = ['/', Path.DirectorySeparatorChar];

    /// <summary>The folder part of a path ("" at the top); the parent of a top-level folder is "".</summary>
    internal static string FolderOf(string path)
    {
        var slash = path.LastIndexOfAny(Separators);
        return slash <= 0 ? "" : path[..slash];
    }

    /// <summary>The folder is <paramref name="above"/> or inside it.</summary>
    private static bool IsWithin(string folder, string above) =>
        above.Length == 0
        || folder == above
        || (folder.Length > above.Length && folder.StartsWith(above, StringComparison.Ordinal) && Separators.Contains(folder[above.Length]));

    [GeneratedRegex(@"(?:^|[-._])mmproj(?=$|[-._])")]
    private static partial Regex Mmproj();

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();

    private sealed record Named(string Path, string Folder, string Key);

    private static string? ChooseFor(Named model, IReadOnlyList<Named> models, Dictionary<string, List<Named>> projectorsByFolder)
    {
        var folder = model.Folder;
        while (true)
        {
            if (projectorsByFolder.TryGetValue(folder, out var candidates) && ChooseIn(model, folder, candidates, models) is { } chosen)
            {
                return chosen;
            }
            if (folder.Length == 0)
            {
                return null;
            }
            folder = FolderOf(folder);
        }
    }

    private static string? ChooseIn(Named model, string folder, List<Named> candidates, IReadOnlyList<Named> models)
    {
        var named = candidates
            .Where(p => p.Key.Length > 0 && model.Key.Length > 0
                && (model.Key.StartsWith(p.Key, StringComparison.Ordinal) || p.Key.StartsWith(model.Key, StringComparison.Ordinal)))
            .ToList();
        if (named.Count > 0)
        {
            var longest = named.Max(p => Math.Min(p.Key.Length, model.Key.Length));
            return Best(named.Where(p => Math.Min(p.Key.Length, model.Key.Length) == longest));
        }
        var generic = candidates.Where(p => p.Key.Length == 0).ToList();
        if (generic.Count == 0)
        {
            return null;
        }
        var served = folder == model.Folder
            ? models.Where(m => m.Folder == folder)
            : models.Where(m => IsWithin(m.Folder, folder));
        return served.All(m => m.Key == model.Key) ? Best(generic) : null;
    }

    private static string Best(IEnumerable<Named> candidates) => candidates
        .OrderBy(p => PrecisionRank(p.Path))
        .ThenBy(p => p.Path, StringComparer.Ordinal)
        .First().Path;
}
