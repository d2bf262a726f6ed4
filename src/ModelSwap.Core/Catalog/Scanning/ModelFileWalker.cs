namespace ModelSwap.Core.Catalog.Scanning;

/// <summary>
/// Finds every <c>.gguf</c> file under the models folders, recursively. Links to folders are
/// followed (Hugging Face caches and shared drives use them) but every folder is walked once, by
/// its real path, so a link back to a parent ends instead of looping. Links to files are
/// followed for their size and time (Hugging Face snapshots link to blobs). Entries whose names
/// start with a dot are skipped: hidden folders (.git, .cache, .Trash) and the temporary files
/// copy tools and downloaders write before renaming.
/// </summary>
internal static class ModelFileWalker
{
    private static readonly EnumerationOptions Enumeration = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    public static WalkResult Walk(IEnumerable<string> roots, CancellationToken cancellationToken = default)
    {
        var comparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var visited = new HashSet<string>(comparer);
        var realFiles = new HashSet<string>(comparer);
        var files = new List<ModelFile>();
        var warnings = new List<string>();
        var directories = new List<string>();

        foreach (var root in roots.Select(Path.GetFullPath).Distinct(comparer))
        {
            if (!Directory.Exists(root))
            {
                continue;
            }
            var pending = new Stack<(string Path, string Real)>();
            try
            {
                pending.Push((root, RealPath.Of(root)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"{root}: skipped: {ex.Message}");
                continue;
            }
            while (pending.TryPop(out var folder))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!visited.Add(folder.Real))
                {
                    continue;
                }
                directories.Add(folder.Real);
                var subfolders = new List<(string Path, string Real)>();
                try
                {
                    foreach (var entry in new DirectoryInfo(folder.Path).EnumerateFileSystemInfos("*", Enumeration))
                    {
                        if (entry.Name.StartsWith('.'))
                        {
                            continue;
                        }
                        var isLink = entry.Attributes.HasFlag(FileAttributes.ReparsePoint);
                        if (entry is DirectoryInfo directory)
                        {
                            if (TryReal(directory.FullName, isLink, folder.Real, warnings) is { } real)
                            {
                                subfolders.Add((directory.FullName, real));
                            }
                        }
                        else if (entry is FileInfo file && file.Name.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
                        {
                            if (Describe(file, isLink, folder.Real, warnings) is { } found && realFiles.Add(found.RealPath))
                            {
                                files.Add(found);
                            }
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    warnings.Add($"{folder.Path}: cannot list the folder: {ex.Message}");
                }
                // Reverse order on the stack gives an ordinal, depth-first walk: the same on every scan.
                foreach (var sub in subfolders.OrderByDescending(s => s.Path, StringComparer.Ordinal))
                {
                    pending.Push(sub);
                }
            }
        }
        files.Sort((a, b) => StringComparer.Ordinal.Compare(a.Path, b.Path));
        return new WalkResult(files, directories, warnings);
    }

    private static string? TryReal(string path, bool isLink, string parentReal, List<string> warnings)
    {
        if (!isLink)
        {
            return Path.Join(parentReal, Path.GetFileName(path));
        }
        try
        {
            return RealPath.Of(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"{path}: skipped: {ex.Message}");
            return null;
        }
    }

    private static ModelFile? Describe(FileInfo file, bool isLink, string parentReal, List<string> warnings)
    {
        if (!isLink)
        {
            return new ModelFile(file.FullName, Path.Join(parentReal, file.Name), file.Length, file.LastWriteTimeUtc);
        }
        try
        {
            var real = RealPath.Of(file.FullName);
            var target = new FileInfo(real);
            if (!target.Exists)
            {
                warnings.Add($"{file.FullName}: skipped: the link points to {real}, which does not exist");
                return null;
            }
            return new ModelFile(file.FullName, real, target.Length, target.LastWriteTimeUtc);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"{file.FullName}: skipped: {ex.Message}");
            return null;
        }
    }
}
