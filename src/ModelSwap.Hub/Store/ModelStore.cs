namespace ModelSwap.Hub.Store;

/// <summary>
/// The local models of one or more models dirs, and safe deletion: only files inside a models dir (never
/// through a symlinked folder), never a loaded model unless forced, all split parts together, and an
/// mmproj only when no other model still uses it.
/// </summary>
public sealed class ModelStore
{
    public ModelStore(IEnumerable<string> modelsDirs)
    {
        ModelsDirs = modelsDirs.Select(PathSafety.NormalizeRoot).Distinct(StringComparer.Ordinal).ToList();
        if (ModelsDirs.Count == 0)
        {
            throw new ArgumentException("At least one models dir is needed.", nameof(modelsDirs));
        }
    }

    public IReadOnlyList<string> ModelsDirs { get; }

    public IReadOnlyList<LocalModel> List() =>
        ModelsDirs.SelectMany(LocalModelScanner.Scan).OrderBy(m => m.Path, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Finds a model by path (absolute or relative to a models dir, any of its parts), by name
    /// (file name without .gguf and split suffix) or by file name; case-insensitive for names.
    /// </summary>
    public LocalModel Find(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        var models = List();
        var looksLikePath = nameOrPath.Contains('/') || nameOrPath.Contains(Path.DirectorySeparatorChar) || Path.IsPathRooted(nameOrPath);
        if (looksLikePath)
        {
            var candidates = Path.IsPathRooted(nameOrPath)
                ? [Path.GetFullPath(nameOrPath)]
                : ModelsDirs.Select(d => Path.GetFullPath(Path.Combine(d, nameOrPath))).ToList();
            var inside = candidates.Where(c => ModelsDirs.Any(d => PathSafety.IsInside(d, c) && !PathSafety.HasLinkedDirectoryBetween(d, c))).ToList();
            if (inside.Count == 0)
            {
                throw new ModelStoreException(ModelStoreError.OutsideModelsDir,
                    $"'{nameOrPath}' is not inside the models dir{(ModelsDirs.Count > 1 ? "s" : "")} ({string.Join(", ", ModelsDirs)}); refusing to touch it.");
            }
            var byPath = models.Where(m => m.Files.Any(f => inside.Contains(f, StringComparer.Ordinal))).ToList();
            // A path never falls back to name matching: that could pick a same-named file elsewhere.
            return byPath.Count > 0
                ? Single(byPath, nameOrPath)
                : throw new ModelStoreException(ModelStoreError.NotFound, $"No local model at '{nameOrPath}'.");
        }
        var byName = models.Where(m => string.Equals(m.Name, nameOrPath, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byName.Count == 0)
        {
            var fileName = Path.GetFileName(nameOrPath);
            byName = models.Where(m => m.Files.Any(f => string.Equals(Path.GetFileName(f), fileName, StringComparison.OrdinalIgnoreCase))).ToList();
        }
        if (byName.Count == 0)
        {
            throw new ModelStoreException(ModelStoreError.NotFound,
                $"No local model '{nameOrPath}' in {string.Join(", ", ModelsDirs)}. `modelswap models list` shows what is there.");
        }
        return Single(byName, nameOrPath);
    }

    /// <summary>
    /// Deletes a model's files. <paramref name="isLoaded"/> says whether the gateway has it loaded or busy;
    /// such a model is refused unless <paramref name="force"/> (the caller unloads it first).
    /// </summary>
    public DeleteResult Delete(string nameOrPath, bool force = false, Func<LocalModel, bool>? isLoaded = null)
    {
        var model = Find(nameOrPath);
        if (!force && isLoaded?.Invoke(model) == true)
        {
            throw new ModelStoreException(ModelStoreError.InUse,
                $"{model.Name} is loaded or busy; unload it first or delete with --force.");
        }
        var deleted = new List<string>();
        var kept = new List<string>();
        foreach (var file in model.Files)
        {
            DeleteInside(model.ModelsDir, file, deleted);
        }
        if (model.Projector is { } projector)
        {
            var others = List().Where(m => m.Path != model.Path && string.Equals(m.Projector, projector, StringComparison.Ordinal)).ToList();
            if (others.Count == 0)
            {
                DeleteInside(model.ModelsDir, projector, deleted);
                ModelManifest.Remove(model.ModelsDir, PathSafety.Relative(model.ModelsDir, projector));
            }
            else
            {
                kept.Add(projector);
            }
        }
        ModelManifest.Remove(model.ModelsDir, PathSafety.Relative(model.ModelsDir, model.Path));
        RemoveEmptyFolders(model.ModelsDir, Path.GetDirectoryName(model.Path)!);
        return new DeleteResult(model, deleted, kept);
    }

    private static LocalModel Single(IReadOnlyList<LocalModel> matches, string asked) => matches.Count == 1
        ? matches[0]
        : throw new ModelStoreException(ModelStoreError.Ambiguous,
            $"'{asked}' matches {matches.Count} models; give the path instead: {string.Join(", ", matches.Select(m => m.Path))}.");

    private static void DeleteInside(string root, string file, List<string> deleted)
    {
        if (!PathSafety.IsInside(root, file) || PathSafety.HasLinkedDirectoryBetween(root, file))
        {
            throw new ModelStoreException(ModelStoreError.OutsideModelsDir, $"{file} is not inside {root}; refusing to delete it.");
        }
        // File.Delete removes a symlink itself, never the file it points to.
        File.Delete(file);
        File.Delete(file + ".part");
        File.Delete(file + ".part.json");
        deleted.Add(file);
    }

    /// <summary>Removes the now-empty per-repo folders a download created, up to (not including) the root.</summary>
    private static void RemoveEmptyFolders(string root, string directory)
    {
        var fullRoot = PathSafety.NormalizeRoot(root);
        var current = Path.GetFullPath(directory);
        while (current.Length > fullRoot.Length && PathSafety.IsInside(fullRoot, current)
               && Directory.Exists(current) && !Directory.EnumerateFileSystemEntries(current).Any())
        {
            Directory.Delete(current);
            current = Path.GetDirectoryName(current)!;
        }
    }

    /// <summary>The default models dir: MODELSWAP_MODELS_DIR, else ~/.clara/llama-models.</summary>
    public static string DefaultModelsDir(Func<string, string?>? getEnvironment = null) =>
        ModelSwap.Core.Catalog.CatalogPaths.DefaultModelsDirectory(getEnvironment);
}
