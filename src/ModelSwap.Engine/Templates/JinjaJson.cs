using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ModelSwap.Engine.Templates;

/// <summary>
/// JSON in and out of template values. Out is Python's json.dumps as Hugging Face's `tojson` calls it
/// (ensure_ascii off, ", " and ": " separators, indent optional), because templates were written
/// against that exact text and models were trained on it.
/// </summary>
internal static class JinjaJson
{
    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(new Dictionary<string, object?>(StringComparer.Ordinal), (dict, p) =>
        {
            dict[p.Name] = FromJson(p.Value);
            return dict;
        }),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => IsIntegral(element.GetRawText()) && element.TryGetInt64(out var l) ? l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static bool IsIntegral(string raw) => raw.IndexOfAny(['.', 'e', 'E']) < 0;

    public static string Dumps(object? value, int? indent = null, string? itemSeparator = null, string? keySeparator = null, bool sortKeys = false)
    {
        var text = new StringBuilder();
        Write(text, value, indent, itemSeparator ?? (indent is null ? ", " : ","), keySeparator ?? ": ", sortKeys, 0);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value, int? indent, string itemSep, string keySep, bool sortKeys, int level)
    {
        switch (value)
        {
            case null or JinjaUndefined:
                text.Append("null");
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case long l:
                text.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                text.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : JinjaValues.FormatFloat(d));
                break;
            case string s:
                WriteString(text, s);
                break;
            case List<object?> list:
                WriteContainer(text, '[', ']', list.Count, indent, itemSep, level, i => Write(text, list[i], indent, itemSep, keySep, sortKeys, level + 1));
                break;
            case Dictionary<string, object?> dict:
                var pairs = sortKeys ? dict.OrderBy(p => p.Key, StringComparer.Ordinal).ToList() : dict.ToList();
                WriteContainer(text, '{', '}', pairs.Count, indent, itemSep, level, i =>
                {
                    WriteString(text, pairs[i].Key);
                    text.Append(keySep);
                    Write(text, pairs[i].Value, indent, itemSep, keySep, sortKeys, level + 1);
                });
                break;
            case JinjaNamespace ns:
                Write(text, ns.Values, indent, itemSep, keySep, sortKeys, level);
                break;
            default:
                throw new JinjaException($"Object of type {JinjaValues.TypeName(value)} is not JSON serializable");
        }
    }

    private static void WriteContainer(StringBuilder text, char open, char close, int count, int? indent, string itemSep, int level, Action<int> writeItem)
    {
        text.Append(open);
        if (count == 0)
        {
            text.Append(close);
            return;
        }
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append(itemSep);
            }
            if (indent is { } width)
            {
                text.Append('\n').Append(' ', width * (level + 1));
            }
            writeItem(i);
        }
        if (indent is { } w)
        {
            text.Append('\n').Append(' ', w * level);
        }
        text.Append(close);
    }

    private static void WriteString(StringBuilder text, string s)
    {
        text.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
        text.Append('"');
    }
}
