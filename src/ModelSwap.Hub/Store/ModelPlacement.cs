using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Hub.Store;

/// <summary>
/// Where a repo file lands: &lt;models-dir&gt;/&lt;owner&gt;_&lt;name&gt;/&lt;path in repo&gt;. One folder per repo keeps
/// split parts beside each other (llama.cpp finds parts next to the first) and stops the common
/// "mmproj-F16.gguf" of two repos from overwriting each other; subfolders of the repo are kept.
/// </summary>
internal static class ModelPlacement
{
    public static string RepoFolderName(string repo)
    {
        HubNames.ValidateRepo(repo);
        return repo.Replace('/', '_');
    }

    /// <summary>The final path, validated: no traversal, and it stays inside <paramref name="modelsDir"/>.</summary>
    public static string FinalPath(string modelsDir, string repo, string filePath)
    {
        HubNames.ValidateFilePath(filePath);
        var root = PathSafety.NormalizeRoot(modelsDir);
        var candidate = Path.GetFullPath(Path.Combine(root, RepoFolderName(repo), filePath.Replace('/', Path.DirectorySeparatorChar)));
        if (!PathSafety.IsInside(root, candidate))
        {
            throw new ArgumentException($"File path '{filePath}' of {repo} would land outside the models dir {root}.");
        }
        if (PathSafety.HasLinkedDirectoryBetween(root, candidate))
        {
            throw new ArgumentException($"File path '{filePath}' of {repo} goes through a symlinked folder under {root}; refusing to write there.");
        }
        return candidate;
    }
}
