namespace ModelSwap.Core.Catalog.Scanning;

/// <summary>
/// The canonical path of a file or folder: every symbolic link on the way resolved. Two folders
/// are the same folder exactly when their real paths are equal, which is how the walker notices
/// a link that leads back to a folder it has already walked.
/// </summary>
internal static class RealPath
{
    /// <summary>The kernel's own limit (ELOOP) for links followed while resolving one path.</summary>
    private const int MaxLinks = 40;

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    /// <exception cref="IOException">A chain of more than 40 links, i.e. a link loop.</exception>
    public static string Of(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string Resolve(string fullPath, ref int links)
    {
        var root = Path.GetPathRoot(fullPath) ?? "";
        var current = root;
        foreach (var part in fullPath[root.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Join(current, part);
            // LinkTarget reads the link itself (readlink), so a missing target does not throw here.
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks)
            {
                throw new IOException($"too many levels of symbolic links at {next}");
            }
            var resolved = Path.IsPathRooted(target) ? target : Path.Join(current, target);
            current = Resolve(Path.GetFullPath(resolved), ref links);
        }
        return current.Length == 0 ? fullPath : current;
    }
}
