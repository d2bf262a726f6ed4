using System.Collections.Immutable;
using System.Text;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// Turns a <c>cmd</c> into program + arguments the way a POSIX shell splits words, without running
/// a shell: no variables, globs, pipes or redirections — only quoting and escaping.
/// </summary>
internal static class ShellWords
{
    /// <summary>
    /// llama-swap's preprocessing of a <c>|</c> block: lines whose first non-blank character is
    /// <c>#</c> are dropped, and a line ending in <c>\</c> continues on the next one.
    /// </summary>
    public static string Normalize(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var kept = new List<string>(lines.Length);
        foreach (var line in lines)
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith('#'))
            {
                continue;
            }
            kept.Add(trimmed.EndsWith('\\') ? trimmed[..^1] + " " : line);
        }
        return string.Join('\n', kept);
    }

    /// <summary>
    /// Splits by POSIX rules: whitespace separates words; '…' is literal; in "…" a backslash escapes
    /// only $ ` " \ and newline; outside quotes a backslash escapes any character; an unquoted
    /// <c>#</c> at the start of a word comments out the rest of the line.
    /// </summary>
    public static bool TrySplit(string text, out ImmutableArray<string> words, out string? error)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        var word = new StringBuilder();
        var inWord = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                if (inWord)
                {
                    result.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
                i++;
            }
            else if (c == '#' && !inWord)
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '\'')
            {
                var close = text.IndexOf('\'', i + 1);
                if (close < 0)
                {
                    return Fail(out words, out error, "unterminated single quote", text, i);
                }
                word.Append(text, i + 1, close - i - 1);
                inWord = true;
                i = close + 1;
            }
            else if (c == '"')
            {
                var start = i++;
                var closed = false;
                while (i < text.Length)
                {
                    var d = text[i];
                    if (d == '"')
                    {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < text.Length && text[i + 1] is '$' or '`' or '"' or '\\' or '\n')
                    {
                        if (text[i + 1] != '\n')
                        {
                            word.Append(text[i + 1]);
                        }
                        i += 2;
                        continue;
                    }
                    word.Append(d);
                    i++;
                }
                if (!closed)
                {
                    return Fail(out words, out error, "unterminated double quote", text, start);
                }
                inWord = true;
            }
            else if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    word.Append('\\');
                    inWord = true;
                    i++;
                }
                else if (text[i + 1] == '\n')
                {
                    i += 2;
                }
                else
                {
                    word.Append(text[i + 1]);
                    inWord = true;
                    i += 2;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord)
        {
            result.Add(word.ToString());
        }
        words = result.ToImmutable();
        error = null;
        return true;
    }

    private static bool Fail(out ImmutableArray<string> words, out string? error, string what, string text, int at)
    {
        var snippet = text[at..].Split('\n')[0];
        if (snippet.Length > 40)
        {
            snippet = snippet[..40] + "…";
        }
        words = [];
        error = $"{what} in `{snippet}`";
        return false;
    }
}
