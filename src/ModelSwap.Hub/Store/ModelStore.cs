namespace ModelSwap.Hub.Store;

/// <summary>
/// The models folders' manifests (where each downloaded model came from) and safe deletion of model
/// files: only files inside a models folder (never through a symlinked folder), all split parts
/// together, a projector only when the caller says no other model uses it. Which files make a
/// model is the scanner's business (Core's ModelScanner, read through the management inventory).
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

    /// <summary>Every manifest entry of every models folder, by the full path of the model's first file.</summary>
    public IReadOnlyDictionary<string, ManifestEntry> ManifestEntries()
    {
        var entries = new Dictionary<string, ManifestEntry>(StringComparer.Ordinal);
        foreach (var root in ModelsDirs)
        {
            foreach (var entry in ModelManifest.Load(root))
            {
                entries.TryAdd(PathSafety.FromRelative(root, entry.Path), entry);
            }
        }
        return entries;
    }

    /// <summary>
    /// Deletes a model's files (every split part and leftover <c>.part</c> files), its projector unless
    /// <paramref name="keepProjector"/>, their manifest entries and the per-repo folders left empty.
    /// Every file is checked first: one outside the models folders fails the whole delete before any
    /// file is touched.
    /// </summary>
    public DeleteResult Delete(IReadOnlyList<string> files, string? projector, bool keepProjector)
    {
        ArgumentNullException.ThrowIfNull(files);
        var roots = files.Select(RootOf).ToList();
        var projectorRoot = projector is null || keepProjector ? null : RootOf(projector);
        var deleted = new List<string>();
        var kept = new List<string>();
        for (var i = 0; i < files.Count; i++)
        {
            DeleteFile(files[i], deleted);
            ModelManifest.Remove(roots[i], PathSafety.Relative(roots[i], files[i]));
        }
        if (projector is not null && projectorRoot is not null)
        {
            DeleteFile(projector, deleted);
            ModelManifest.Remove(projectorRoot, PathSafety.Relative(projectorRoot, projector));
        }
        else if (projector is not null)
        {
            kept.Add(projector);
        }
        foreach (var (root, file) in roots.Zip(files).DistinctBy(p => Path.GetDirectoryName(p.Second)))
        {
            RemoveEmptyFolders(root, Path.GetDirectoryName(Path.GetFullPath(file))!);
        }
        return new DeleteResult(deleted, kept);
    }

    /// <summary>Throws <see cref="ModelStoreException"/> unless every file may be deleted (see <see cref="Delete"/>).</summary>
    public void EnsureDeletable(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            RootOf(file);
        }
    }

    /// <summary>The models folder holding <paramref name="file"/>, reached without a symlinked folder.</summary>
    private string RootOf(string file)
    {
        var full = Path.GetFullPath(file);
        return ModelsDirs.FirstOrDefault(root => PathSafety.IsInside(root, full) && !PathSafety.HasLinkedDirectoryBetween(root, full))
            ?? throw new ModelStoreException(ModelStoreError.OutsideModelsDir,
                $"{full} is not inside the models dir{(ModelsDirs.Count > 1 ? "s" : "")} ({string.Join(", ", ModelsDirs)}) " +
                "or is reached through a symlinked folder; refusing to delete it (delete it yourself if you mean to)");
    }

    private static void DeleteFile(string file, List<string> deleted)
    {
        // File.Delete removes a symlink itself, never the file it points to.
        File.Delete(file);
        File.Delete(file + ".part");
        File.Delete(file + ".part.json");
        deleted.Add(Path.GetFullPath(file));
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
