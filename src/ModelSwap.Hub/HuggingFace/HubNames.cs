using System.Text.RegularExpressions;

namespace ModelSwap.Hub.HuggingFace;

/// <summary>
/// Validation of names that come from users and from the Hub before they reach a URL or a path:
/// repo ids ("owner/name"), revisions and repo file paths. Hub listings are untrusted input too:
/// a mirror could list "../../.bashrc".
/// </summary>
internal static partial class HubNames
{
    public static bool IsValidRepo(string? repo) =>
        repo is not null && repo.Length <= 200 && RepoPattern().IsMatch(repo) && !repo.Contains("..", StringComparison.Ordinal);

    public static void ValidateRepo(string? repo)
    {
        if (!IsValidRepo(repo))
        {
            throw new ArgumentException(
                $"Invalid repo id '{repo}': expected owner/name using letters, digits, '-', '_' and '.' (for example bartowski/Qwen2.5-7B-Instruct-GGUF).");
        }
    }

    public static void ValidateRevision(string? revision)
    {
        if (string.IsNullOrEmpty(revision) || revision.Length > 200 || !RevisionPattern().IsMatch(revision)
            || revision.Contains("..", StringComparison.Ordinal) || revision.StartsWith('/') || revision.EndsWith('/'))
        {
            throw new ArgumentException($"Invalid revision '{revision}': expected a branch, tag or commit (letters, digits, '-', '_', '.', '/').");
        }
    }

    /// <summary>A repo-relative file path: forward slashes only, no '..', '.', empty or absolute parts.</summary>
    public static bool IsSafeFilePath(string? path, out string reason)
    {
        if (string.IsNullOrEmpty(path))
        {
            reason = "the path is empty";
            return false;
        }
        if (path.Length > 1000)
        {
            reason = "the path is longer than 1000 characters";
            return false;
        }
        if (path.Contains('\\'))
        {
            reason = "it contains a backslash";
            return false;
        }
        if (path.StartsWith('/') || Path.IsPathRooted(path) || (path.Length >= 2 && path[1] == ':'))
        {
            reason = "it is an absolute path";
            return false;
        }
        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                reason = "it contains a control character";
                return false;
            }
        }
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                reason = segment == ".." ? "it contains '..'" : "it has an empty or '.' segment";
                return false;
            }
        }
        reason = "";
        return true;
    }

    public static void ValidateFilePath(string? path)
    {
        if (!IsSafeFilePath(path, out var reason))
        {
            throw new ArgumentException($"Invalid file path '{path}': {reason}.");
        }
    }

    /// <summary>Escapes each segment for a URL path, keeping the slashes.</summary>
    internal static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$", RegexOptions.CultureInvariant)]
    private static partial Regex RepoPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._/-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RevisionPattern();
}
