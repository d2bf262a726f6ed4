using System.Globalization;
using System.Net;

namespace ModelSwap.Engine.Templates;

/// <summary>Jinja's built-in filters that chat templates use, with Hugging Face's tojson.</summary>
internal static class JinjaFilters
{
    public static object? Apply(JinjaContext context, string name, object? value, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        object? Arg(int index, string keyword, object? fallback = null) =>
            index < args.Count ? args[index] : kwargs.TryGetValue(keyword, out var v) ? v : fallback;

        switch (name)
        {
            case "tojson":
                var indent = Arg(0, "indent");
                var separators = kwargs.GetValueOrDefault("separators") as List<object?>;
                return JinjaJson.Dumps(value, indent is null or JinjaUndefined ? null : (int)JinjaValues.ToLong(indent),
                    separators?[0] as string, separators?[1] as string, JinjaValues.Truthy(kwargs.GetValueOrDefault("sort_keys")));
            case "trim":
                return JinjaMembers.Strip(JinjaValues.ToText(value), Arg(0, "chars"), true, true);
            case "length" or "count":
                return (long)(value switch
                {
                    string s => s.Length,
                    List<object?> list => list.Count,
                    Dictionary<string, object?> dict => dict.Count,
                    JinjaUndefined => 0,
                    _ => throw new JinjaException($"{JinjaValues.TypeName(value)} has no length"),
                });
            case "items":
                return value switch
                {
                    Dictionary<string, object?> dict => dict.Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList(),
                    JinjaUndefined or null => new List<object?>(),
                    _ => throw new JinjaException($"items: {JinjaValues.TypeName(value)} is not a mapping"),
                };
            case "string":
                return JinjaValues.ToText(value);
            case "upper":
                return JinjaValues.ToText(value).ToUpperInvariant();
            case "lower":
                return JinjaValues.ToText(value).ToLowerInvariant();
            case "title" or "capitalize":
                return ((JinjaCallable)JinjaMembers.GetAttribute(JinjaValues.ToText(value), name)!)(context, [], Empty);
            case "first":
                return JinjaValues.Iterate(value) is { Count: > 0 } first ? first[0] : JinjaUndefined.Instance;
            case "last":
                return JinjaValues.Iterate(value) is { Count: > 0 } last ? last[^1] : JinjaUndefined.Instance;
            case "join":
                var attribute = Arg(1, "attribute") as string;
                var items = JinjaValues.Iterate(value).Select(x => attribute is null ? x : JinjaMembers.GetAttribute(x, attribute));
                return string.Join(Arg(0, "d", "") is string sep ? sep : "", items.Select(JinjaValues.ToText));
            case "default" or "d":
                var orElse = Arg(0, "default_value", "");
                var boolean = JinjaValues.Truthy(Arg(1, "boolean", false));
                return value is JinjaUndefined || (boolean && !JinjaValues.Truthy(value)) ? orElse : value;
            case "list":
                return JinjaValues.Iterate(value).ToList();
            case "unique":
                var unique = new List<object?>();
                foreach (var item in JinjaValues.Iterate(value))
                {
                    if (!unique.Any(u => JinjaValues.AreEqual(u, item)))
                    {
                        unique.Add(item);
                    }
                }
                return unique;
            case "reverse":
                return value is string rs ? new string(rs.Reverse().ToArray()) : Enumerable.Reverse(JinjaValues.Iterate(value)).ToList();
            case "int":
                return value switch
                {
                    string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
                    string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsedFloat) => (long)parsedFloat,
                    long or double or bool => JinjaValues.ToLong(value),
                    _ => Arg(0, "default", 0L),
                };
            case "float":
                return value switch
                {
                    string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                    long or double or bool => JinjaValues.ToDouble(value),
                    _ => Arg(0, "default", 0.0),
                };
            case "abs":
                return value is long l ? (object)Math.Abs(l) : Math.Abs(JinjaValues.ToDouble(value));
            case "round":
                var digits = (int)JinjaValues.ToLong(Arg(0, "precision", 0L));
                return Math.Round(JinjaValues.ToDouble(value), digits, MidpointRounding.ToEven);
            case "replace":
                return ((JinjaCallable)JinjaMembers.GetAttribute(JinjaValues.ToText(value), "replace")!)(context, args, Empty);
            case "safe":
                return value;
            case "e" or "escape":
                return WebUtility.HtmlEncode(JinjaValues.ToText(value));
            case "indent":
                return Indent(JinjaValues.ToText(value), Arg(0, "width", 4L), JinjaValues.Truthy(Arg(1, "first", false)), JinjaValues.Truthy(Arg(2, "blank", false)));
            case "sum":
                return JinjaValues.Iterate(value).Aggregate((object?)0L, JinjaValues.Add);
            case "min" or "max":
                var values = JinjaValues.Iterate(value);
                if (values.Count == 0)
                {
                    return JinjaUndefined.Instance;
                }
                return values.Aggregate((a, b) => (JinjaValues.Compare(a, b) <= 0) == (name == "min") ? a : b);
            case "sort":
                var sortAttribute = kwargs.GetValueOrDefault("attribute") as string;
                var sorted = JinjaValues.Iterate(value).ToList();
                sorted.Sort((a, b) => JinjaValues.Compare(
                    sortAttribute is null ? a : JinjaMembers.GetAttribute(a, sortAttribute),
                    sortAttribute is null ? b : JinjaMembers.GetAttribute(b, sortAttribute)));
                if (JinjaValues.Truthy(Arg(0, "reverse", false)))
                {
                    sorted.Reverse();
                }
                return sorted;
            case "dictsort":
                return value is Dictionary<string, object?> toSort
                    ? toSort.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList()
                    : throw new JinjaException("dictsort needs a mapping");
            case "map":
                if (kwargs.GetValueOrDefault("attribute") is string mapAttribute)
                {
                    return JinjaValues.Iterate(value).Select(x => JinjaMembers.GetAttribute(x, mapAttribute)).ToList();
                }
                var filter = args.Count > 0 && args[0] is string f ? f : throw new JinjaException("map needs a filter name or attribute=");
                return JinjaValues.Iterate(value).Select(x => Apply(context, filter, x, args.Skip(1).ToList(), Empty)).ToList();
            case "select" or "reject":
                return JinjaValues.Iterate(value).Where(x => Test(x, args, 0) == (name == "select")).ToList();
            case "selectattr" or "rejectattr":
                var on = args.Count > 0 && args[0] is string a ? a : throw new JinjaException($"{name} needs an attribute name");
                return JinjaValues.Iterate(value).Where(x => Test(JinjaMembers.GetAttribute(x, on), args, 1) == (name == "selectattr")).ToList();
            case "batch":
                var size = (int)JinjaValues.ToLong(Arg(0, "linecount"));
                return JinjaValues.Iterate(value).Chunk(size).Select(c => (object?)c.ToList()).ToList();
            case "wordcount":
                return (long)JinjaValues.ToText(value).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            case "center":
                var text = JinjaValues.ToText(value);
                var width = (int)JinjaValues.ToLong(Arg(0, "width", 80L));
                var left = Math.Max(0, (width - text.Length) / 2);
                return text.PadLeft(text.Length + left).PadRight(width);
            case "format":
                return JinjaValues.Arithmetic("%", JinjaValues.ToText(value), args.ToList());
            default:
                throw new JinjaException($"unknown filter '{name}'");
        }
    }

    private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();

    /// <summary>select/reject: with no test name, truthiness; otherwise the named test with the remaining arguments.</summary>
    private static bool Test(object? value, IReadOnlyList<object?> args, int at) =>
        args.Count <= at ? JinjaValues.Truthy(value) : JinjaTests.Run(JinjaValues.ToText(args[at]), value, args.Skip(at + 1).ToList());

    private static string Indent(string text, object? width, bool first, bool blank)
    {
        var pad = width is string s ? s : new string(' ', (int)JinjaValues.ToLong(width));
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if ((i > 0 || first) && (blank || lines[i].Trim().Length > 0))
            {
                lines[i] = pad + lines[i];
            }
        }
        return string.Join('\n', lines);
    }
}
