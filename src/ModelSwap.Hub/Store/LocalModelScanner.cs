using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Hub.Store;

/// <summary>
/// Finds the .gguf models of one models dir: split parts grouped, mmproj files attached as companions
/// (from the manifest, else the one in the same folder), partial downloads (.part) ignored. Symlinked
/// folders are not entered, so nothing outside the dir is ever listed as deletable.
/// </summary>
internal static class LocalModelScanner
{
    public static IReadOnlyList<LocalModel> Scan(string modelsDir)
    {
        var root = PathSafety.NormalizeRoot(modelsDir);
        if (!Directory.Exists(root))
        {
            return [];
        }
        var manifest = ModelManifest.Load(root).ToDictionary(e => e.Path, StringComparer.Ordinal);
        var models = new List<LocalModel>();
        foreach (var directory in Directories(root))
        {
            var ggufs = SafeFiles(directory).Where(GgufFileNames.IsGguf).OrderBy(f => f, StringComparer.Ordinal).ToList();
            var projectors = ggufs.Where(GgufFileNames.IsProjector).ToList();
            var groups = ggufs.Where(f => !GgufFileNames.IsProjector(f))
                .Select(f =>
                {
                    var split = GgufFileNames.TryParseSplit(f, out var baseName, out var part, out var count);
                    return (File: f, Key: split ? $"{baseName}\n{count}" : f, Name: baseName, Part: part, Count: count);
                })
                .GroupBy(x => x.Key, StringComparer.Ordinal);
            foreach (var group in groups)
            {
                var parts = group.OrderBy(x => x.Part).ToList();
                var files = parts.Select(x => x.File).ToList();
                var relative = PathSafety.Relative(root, files[0]);
                manifest.TryGetValue(relative, out var entry);
                models.Add(new LocalModel(
                    parts[0].Name,
                    files[0],
                    root,
                    files,
                    files.Sum(Length),
                    ProjectorFor(root, files[0], entry, projectors),
                    entry is null ? null : new ModelOrigin(entry.Repo, entry.Revision, entry.Commit, entry.DownloadedAt),
                    parts.Count == parts[0].Count && parts[0].Part == 1));
            }
        }
        return models;
    }

    private static string? ProjectorFor(string root, string modelPath, ManifestEntry? entry, IReadOnlyList<string> projectorsHere)
    {
        if (entry?.Projector is { } recorded)
        {
            var full = PathSafety.FromRelative(root, recorded);
            if (File.Exists(full) && PathSafety.IsInside(root, full))
            {
                return full;
            }
        }
        if (projectorsHere.Count == 0)
        {
            return null;
        }
        var variant = new GgufVariant(Path.GetFileName(modelPath), GgufFileNames.Quantization(modelPath),
            [new HubFile(Path.GetFileName(modelPath), 0, null)]);
        var chosen = GgufVariantGrouper.ChooseProjector(variant, projectorsHere.Select(p => new HubFile(Path.GetFileName(p), 0, null)).ToList());
        return chosen is null ? null : projectorsHere.First(p => Path.GetFileName(p) == chosen.Path);
    }

    /// <summary>The root and every folder below it that is a real folder (not a link).</summary>
    private static IEnumerable<string> Directories(string root)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            yield return current;
            string[] children;
            try
            {
                children = Directory.GetDirectories(current);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var child in children.OrderByDescending(c => c, StringComparer.Ordinal))
            {
                if (new DirectoryInfo(child).LinkTarget is null)
                {
                    pending.Push(child);
                }
            }
        }
    }

    private static IEnumerable<string> SafeFiles(string directory)
    {
        try
        {
            return Directory.GetFiles(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static long Length(string path)
    {
        try
        {
            // A symlinked model file counts with its target's size.
            var info = new FileInfo(path);
            return info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target && target.Exists
                ? target.Length
                : info.Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
