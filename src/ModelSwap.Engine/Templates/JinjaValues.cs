using System.Globalization;
using System.Text;

namespace ModelSwap.Engine.Templates;

/// <summary>
/// Python's semantics for the values templates see: null is None, long/double numbers, string,
/// List&lt;object?&gt; lists, Dictionary&lt;string, object?&gt; dicts (insertion-ordered), plus
/// <see cref="JinjaUndefined"/>, <see cref="JinjaNamespace"/> and <see cref="JinjaCallable"/>.
/// </summary>
internal static class JinjaValues
{
    public static bool IsUndefined(object? value) => value is JinjaUndefined;

    public static bool Truthy(object? value) => value switch
    {
        null or JinjaUndefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> list => list.Count > 0,
        Dictionary<string, object?> dict => dict.Count > 0,
        _ => true,
    };

    /// <summary>Python's str(): what `{{ value }}` prints.</summary>
    public static string ToText(object? value) => value switch
    {
        string s => s,
        JinjaUndefined => "",
        null => "None",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatFloat(d),
        _ => Repr(value),
    };

    /// <summary>Python's repr(), used for containers.</summary>
    public static string Repr(object? value)
    {
        switch (value)
        {
            case string s:
                var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
                var escaped = s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
                if (quote == '\'')
                {
                    escaped = escaped.Replace("'", "\\'", StringComparison.Ordinal);
                }
                return quote + escaped + quote;
            case List<object?> list:
                return "[" + string.Join(", ", list.Select(Repr)) + "]";
            case Dictionary<string, object?> dict:
                return "{" + string.Join(", ", dict.Select(p => Repr(p.Key) + ": " + Repr(p.Value))) + "}";
            case JinjaNamespace:
                return "<Namespace>";
            case JinjaCallable:
                return "<function>";
            default:
                return ToText(value);
        }
    }

    public static string FormatFloat(double d)
    {
        if (double.IsNaN(d))
        {
            return "nan";
        }
        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.Floor(d) && Math.Abs(d) < 1e16)
        {
            return d.ToString("0", CultureInfo.InvariantCulture) + ".0";
        }
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return text;
        }
        // Python writes 1e-05 where .NET writes 1E-05.
        var mantissa = text[..e];
        var exponent = int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture);
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    public static bool AreEqual(object? a, object? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (IsNumber(a) && IsNumber(b))
        {
            return ToDouble(a) == ToDouble(b);
        }
        return (a, b) switch
        {
            (string x, string y) => x == y,
            (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => AreEqual(p.First, p.Second)),
            (Dictionary<string, object?> x, Dictionary<string, object?> y) =>
                x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var v) && AreEqual(p.Value, v)),
            _ => false,
        };
    }

    public static int Compare(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return ToDouble(a).CompareTo(ToDouble(b));
        }
        if (a is string x && b is string y)
        {
            return string.CompareOrdinal(x, y);
        }
        throw new JinjaException($"cannot compare {TypeName(a)} with {TypeName(b)}");
    }

    /// <summary>Numbers for arithmetic; bool counts as a number, as in Python.</summary>
    public static bool IsNumber(object? value) => value is long or double or bool;

    public static double ToDouble(object? value) => value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new JinjaException($"expected a number, got {TypeName(value)}"),
    };

    public static long ToLong(object? value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        double d => (long)d,
        _ => throw new JinjaException($"expected an integer, got {TypeName(value)}"),
    };

    /// <summary>What a for loop walks: list items, dict keys, string characters; undefined and None give nothing.</summary>
    public static List<object?> Iterate(object? value) => value switch
    {
        List<object?> list => list,
        Dictionary<string, object?> dict => dict.Keys.Cast<object?>().ToList(),
        string s => s.Select(c => (object?)c.ToString()).ToList(),
        JinjaUndefined or null => [],
        _ => throw new JinjaException($"{TypeName(value)} is not iterable"),
    };

    public static string TypeName(object? value) => value switch
    {
        null => "None",
        JinjaUndefined => "undefined",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        List<object?> => "list",
        Dictionary<string, object?> => "dict",
        JinjaNamespace => "namespace",
        JinjaCallable => "function",
        _ => value.GetType().Name,
    };

    public static object? Add(object? a, object? b) => (a, b) switch
    {
        (string x, string y) => x + y,
        (List<object?> x, List<object?> y) => x.Concat(y).ToList(),
        (long x, long y) => x + y,
        _ when IsNumber(a) && IsNumber(b) => ToDouble(a) + ToDouble(b),
        (JinjaUndefined, string y) => y,
        (string x, JinjaUndefined) => x,
        _ => throw new JinjaException($"cannot add {TypeName(a)} and {TypeName(b)}"),
    };

    public static object? Arithmetic(string op, object? a, object? b)
    {
        if (op == "*" && a is string s && b is long times)
        {
            var repeated = new StringBuilder();
            for (var i = 0; i < times; i++)
            {
                repeated.Append(s);
            }
            return repeated.ToString();
        }
        if (op == "%" && a is string format)
        {
            return PercentFormat(format, b);
        }
        if (a is long x && b is long y && op is "-" or "*" or "//" or "%")
        {
            return op switch
            {
                "-" => x - y,
                "*" => x * y,
                "//" => y == 0 ? throw new JinjaException("division by zero") : (long)Math.Floor((double)x / y),
                _ => y == 0 ? throw new JinjaException("modulo by zero") : ((x % y) + y) % y,
            };
        }
        var p = ToDouble(a);
        var q = ToDouble(b);
        return op switch
        {
            "-" => p - q,
            "*" => p * q,
            "/" => q == 0 ? throw new JinjaException("division by zero") : p / q,
            "//" => Math.Floor(p / q),
            "%" => p - (q * Math.Floor(p / q)),
            "**" => a is long && b is long && q >= 0 ? (object)(long)Math.Pow(p, q) : Math.Pow(p, q),
            _ => throw new JinjaException($"unknown operator {op}"),
        };
    }

    /// <summary>Python's `"%s" % value` for the %s and %d forms templates use.</summary>
    private static string PercentFormat(string format, object? args)
    {
        var values = args is List<object?> list ? list : [args];
        var next = 0;
        var result = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                result.Append(format[i]);
                continue;
            }
            var spec = format[++i];
            if (spec == '%')
            {
                result.Append('%');
                continue;
            }
            var value = next < values.Count ? values[next++] : throw new JinjaException("not enough arguments for format string");
            result.Append(spec == 'r' ? Repr(value) : spec == 'd' ? ToLong(value).ToString(CultureInfo.InvariantCulture) : ToText(value));
        }
        return result.ToString();
    }

    public static bool Contains(object? container, object? item) => container switch
    {
        string s => item is string sub ? s.Contains(sub, StringComparison.Ordinal) : throw new JinjaException($"'in <string>' requires a string, not {TypeName(item)}"),
        List<object?> list => list.Any(x => AreEqual(x, item)),
        Dictionary<string, object?> dict => item is string key && dict.ContainsKey(key),
        JinjaUndefined or null => false,
        _ => throw new JinjaException($"{TypeName(container)} is not a container"),
    };
}
