namespace ModelSwap.Core.Catalog;

/// <summary>Quotes arguments for a generated cmd line, which the config loader splits by POSIX rules.</summary>
internal static class ShellQuoting
{
    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=+,@%".Contains(c)))
        {
            return argument;
        }
        // Single quotes keep everything literal; a single quote itself is closed, escaped and reopened.
        return "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    public static string Join(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));
}
