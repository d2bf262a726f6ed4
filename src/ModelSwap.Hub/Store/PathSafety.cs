namespace ModelSwap.Hub.Store;

/// <summary>
/// Containment checks for paths under a models dir. A path counts as inside only if its full form is
/// under the root AND no directory between the root and it is a symlink (which could lead out).
/// </summary>
internal static class PathSafety
{
    public static string NormalizeRoot(string root) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    public static bool IsInside(string root, string path)
    {
        var fullRoot = NormalizeRoot(root) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(path);
        return full.StartsWith(fullRoot, StringComparison.Ordinal) && full.Length > fullRoot.Length;
    }

    /// <summary>True if a directory strictly between <paramref name="root"/> and <paramref name="path"/> is a link.</summary>
    public static bool HasLinkedDirectoryBetween(string root, string path)
    {
        var fullRoot = NormalizeRoot(root);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        while (dir is not null && dir.Length > fullRoot.Length)
        {
            var info = new DirectoryInfo(dir);
            if (info.Exists && info.LinkTarget is not null)
            {
                return true;
            }
            dir = Path.GetDirectoryName(dir);
        }
        return false;
    }

    /// <summary>Path relative to root with '/' separators (the manifest's form).</summary>
    public static string Relative(string root, string path) =>
        Path.GetRelativePath(NormalizeRoot(root), Path.GetFullPath(path)).Replace(Path.DirectorySeparatorChar, '/');

    public static string FromRelative(string root, string relative) =>
        Path.GetFullPath(Path.Combine(NormalizeRoot(root), relative.Replace('/', Path.DirectorySeparatorChar)));
}
