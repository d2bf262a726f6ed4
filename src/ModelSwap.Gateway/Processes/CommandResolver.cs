namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Finds a program the way execvp would, so a missing binary is reported by name before anything
/// is launched instead of as an exit code from a wrapper.
/// </summary>
internal static class CommandResolver
{
    /// <summary>The full path of <paramref name="program"/>, or null when it cannot be run.</summary>
    public static string? Resolve(string program, string? searchPath)
    {
        if (string.IsNullOrEmpty(program))
        {
            return null;
        }
        if (program.Contains('/') || (OperatingSystem.IsWindows() && (program.Contains('\\') || Path.IsPathRooted(program))))
        {
            var full = Path.GetFullPath(program);
            return IsExecutable(full) ? full : null;
        }
        foreach (var dir in (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in Candidates(Path.Combine(dir, program)))
            {
                if (IsExecutable(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }
        return null;
    }

    private static IEnumerable<string> Candidates(string path)
    {
        yield return path;
        if (OperatingSystem.IsWindows() && !Path.HasExtension(path))
        {
            foreach (var ext in (Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE;.CMD;.BAT").Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return path + ext;
            }
        }
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        if (OperatingSystem.IsWindows())
        {
            return true;
        }
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
