using System.Globalization;
using System.Text;

namespace ModelSwap.Engine.Templates;

/// <summary>Attribute and item access (`a.b`, `a['b']`, `a[1:]`) and the Python methods templates call on strings, dicts and lists.</summary>
internal static class JinjaMembers
{
    public static object? GetAttribute(object? target, string name)
    {
        switch (target)
        {
            case JinjaNamespace ns:
                return ns.Values.TryGetValue(name, out var nsValue) ? nsValue : JinjaUndefined.Instance;
            case Dictionary<string, object?> dict:
                if (DictMethod(dict, name) is { } dictMethod)
                {
                    return dictMethod;
                }
                return dict.TryGetValue(name, out var value) ? value : JinjaUndefined.Instance;
            case string s:
                return StringMethod(s, name) ?? (object)JinjaUndefined.Instance;
            case List<object?> list:
                return ListMethod(list, name) ?? (object)JinjaUndefined.Instance;
            default:
                return JinjaUndefined.Instance;
        }
    }

    public static object? GetItem(object? target, object? key)
    {
        switch (target)
        {
            case Dictionary<string, object?> dict when key is string k:
                return dict.TryGetValue(k, out var value) ? value : DictMethod(dict, k) ?? (object)JinjaUndefined.Instance;
            case JinjaNamespace ns when key is string name:
                return ns.Values.TryGetValue(name, out var nsValue) ? nsValue : JinjaUndefined.Instance;
            case List<object?> list when key is long or bool:
                var index = JinjaValues.ToLong(key);
                if (index < 0)
                {
                    index += list.Count;
                }
                return index >= 0 && index < list.Count ? list[(int)index] : JinjaUndefined.Instance;
            case string s when key is long or bool:
                var at = JinjaValues.ToLong(key);
                if (at < 0)
                {
                    at += s.Length;
                }
                return at >= 0 && at < s.Length ? s[(int)at].ToString() : JinjaUndefined.Instance;
            case string s when key is string name:
                return StringMethod(s, name) ?? (object)JinjaUndefined.Instance;
            default:
                return JinjaUndefined.Instance;
        }
    }

    /// <summary>Python slicing with negative indices and steps.</summary>
    public static object? Slice(object? target, object? start, object? stop, object? step)
    {
        var length = target switch
        {
            List<object?> list => list.Count,
            string s => s.Length,
            JinjaUndefined or null => 0,
            _ => throw new JinjaException($"cannot slice {JinjaValues.TypeName(target)}"),
        };
        var by = step is null or JinjaUndefined ? 1 : JinjaValues.ToLong(step);
        if (by == 0)
        {
            throw new JinjaException("slice step cannot be zero");
        }
        long Clamp(object? bound, long whenMissing)
        {
            if (bound is null or JinjaUndefined)
            {
                return whenMissing;
            }
            var value = JinjaValues.ToLong(bound);
            if (value < 0)
            {
                value += length;
            }
            return by > 0 ? Math.Clamp(value, 0, length) : Math.Clamp(value, -1, length - 1);
        }
        var from = Clamp(start, by > 0 ? 0 : length - 1);
        var to = Clamp(stop, by > 0 ? length : -1);
        var indices = new List<int>();
        for (var i = from; by > 0 ? i < to : i > to; i += by)
        {
            indices.Add((int)i);
        }
        return target switch
        {
            List<object?> list => indices.Select(i => list[i]).ToList(),
            string s => string.Concat(indices.Select(i => s[i])),
            _ => new List<object?>(),
        };
    }

    private static JinjaCallable? DictMethod(Dictionary<string, object?> dict, string name) => name switch
    {
        "items" => (_, _, _) => dict.Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList(),
        "keys" => (_, _, _) => dict.Keys.Cast<object?>().ToList(),
        "values" => (_, _, _) => dict.Values.ToList(),
        "get" => (_, args, _) => args.Count > 0 && args[0] is string key && dict.TryGetValue(key, out var v) ? v : args.Count > 1 ? args[1] : null,
        _ => null,
    };

    private static JinjaCallable? ListMethod(List<object?> list, string name) => name switch
    {
        "index" => (_, args, _) => (long)list.FindIndex(x => JinjaValues.AreEqual(x, Arg(args, 0))),
        "count" => (_, args, _) => (long)list.Count(x => JinjaValues.AreEqual(x, Arg(args, 0))),
        _ => null,
    };

    private static JinjaCallable? StringMethod(string s, string name) => name switch
    {
        "strip" => (_, args, _) => Strip(s, Arg(args, 0), true, true),
        "lstrip" => (_, args, _) => Strip(s, Arg(args, 0), true, false),
        "rstrip" => (_, args, _) => Strip(s, Arg(args, 0), false, true),
        "split" => (_, args, kwargs) => Split(s, Arg(args, 0) ?? kwargs.GetValueOrDefault("sep"), Arg(args, 1) ?? kwargs.GetValueOrDefault("maxsplit")),
        "startswith" => (_, args, _) => Affix(args, p => s.StartsWith(p, StringComparison.Ordinal)),
        "endswith" => (_, args, _) => Affix(args, p => s.EndsWith(p, StringComparison.Ordinal)),
        "replace" => (_, args, _) => Replace(s, Text(args, 0), Text(args, 1), args.Count > 2 ? JinjaValues.ToLong(args[2]) : -1),
        "upper" => (_, _, _) => s.ToUpperInvariant(),
        "lower" => (_, _, _) => s.ToLowerInvariant(),
        "title" => (_, _, _) => Title(s),
        "capitalize" => (_, _, _) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant(),
        "find" => (_, args, _) => (long)s.IndexOf(Text(args, 0), StringComparison.Ordinal),
        "count" => (_, args, _) => (long)CountOccurrences(s, Text(args, 0)),
        "join" => (_, args, _) => string.Join(s, JinjaValues.Iterate(Arg(args, 0)).Select(JinjaValues.ToText)),
        "splitlines" => (_, _, _) => s.Split('\n').Select(l => (object?)l.TrimEnd('\r')).ToList(),
        "isdigit" => (_, _, _) => s.Length > 0 && s.All(char.IsDigit),
        "isspace" => (_, _, _) => s.Length > 0 && s.All(char.IsWhiteSpace),
        "format" => (_, args, _) => FormatBraces(s, args),
        _ => null,
    };

    private static object? Arg(IReadOnlyList<object?> args, int index) => index < args.Count && args[index] is not JinjaUndefined ? args[index] : null;

    private static string Text(IReadOnlyList<object?> args, int index) =>
        Arg(args, index) is string s ? s : throw new JinjaException($"argument {index + 1} must be a string");

    public static string Strip(string s, object? chars, bool left, bool right)
    {
        if (chars is string set)
        {
            var array = set.ToCharArray();
            return left && right ? s.Trim(array) : left ? s.TrimStart(array) : s.TrimEnd(array);
        }
        return left && right ? s.Trim() : left ? s.TrimStart() : s.TrimEnd();
    }

    private static List<object?> Split(string s, object? separator, object? maxSplit)
    {
        var max = maxSplit is null ? -1 : JinjaValues.ToLong(maxSplit);
        if (separator is not string sep)
        {
            var words = s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (max >= 0 && words.Length > max + 1)
            {
                var head = words.Take((int)max).ToList();
                var rest = s.TrimStart();
                foreach (var word in head)
                {
                    rest = rest[(rest.IndexOf(word, StringComparison.Ordinal) + word.Length)..].TrimStart();
                }
                return head.Append(rest).Cast<object?>().ToList();
            }
            return words.Cast<object?>().ToList();
        }
        if (sep.Length == 0)
        {
            throw new JinjaException("empty separator");
        }
        var parts = max >= 0 ? s.Split(sep, (int)max + 1) : s.Split(sep);
        return parts.Cast<object?>().ToList();
    }

    private static bool Affix(IReadOnlyList<object?> args, Func<string, bool> test) => Arg(args, 0) switch
    {
        string p => test(p),
        List<object?> options => options.OfType<string>().Any(test),
        _ => throw new JinjaException("startswith/endswith need a string or a tuple of strings"),
    };

    private static string Replace(string s, string old, string replacement, long count)
    {
        if (count < 0)
        {
            return old.Length == 0 ? s : s.Replace(old, replacement, StringComparison.Ordinal);
        }
        var result = new StringBuilder();
        var position = 0;
        for (var n = 0; n < count; n++)
        {
            var at = s.IndexOf(old, position, StringComparison.Ordinal);
            if (at < 0 || old.Length == 0)
            {
                break;
            }
            result.Append(s, position, at - position).Append(replacement);
            position = at + old.Length;
        }
        return result.Append(s, position, s.Length - position).ToString();
    }

    private static string Title(string s)
    {
        var result = new StringBuilder(s.Length);
        var previousLetter = false;
        foreach (var c in s)
        {
            result.Append(previousLetter ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
            previousLetter = char.IsLetter(c);
        }
        return result.ToString();
    }

    private static int CountOccurrences(string s, string sub)
    {
        if (sub.Length == 0)
        {
            return s.Length + 1;
        }
        var count = 0;
        for (var at = s.IndexOf(sub, StringComparison.Ordinal); at >= 0; at = s.IndexOf(sub, at + sub.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    private static string FormatBraces(string format, IReadOnlyList<object?> args)
    {
        var next = 0;
        var result = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] == '{' && i + 1 < format.Length && format[i + 1] == '}')
            {
                result.Append(JinjaValues.ToText(next < args.Count ? args[next++] : null));
                i++;
            }
            else
            {
                result.Append(format[i]);
            }
        }
        return result.ToString();
    }

    internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
