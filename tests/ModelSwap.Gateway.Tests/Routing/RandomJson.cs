using System.Globalization;
using System.Text;

namespace ModelSwap.Gateway.Tests.Routing;

/// <summary>
/// Generates JSON objects of many shapes from a seed: nesting, every scalar kind, escapes (surrogate
/// pairs included), raw multi-byte text, comments and odd whitespace between tokens, and now and then a
/// string long enough to be streamed in pieces. Keys are unique per object.
/// </summary>
internal sealed class RandomJson(int seed)
{
    public static readonly string[] TopLevelKeys = ["model", "temperature", "top_k", "stop", "messages", "n", "stream", "tools", "caf\u00e9", "x"];

    private readonly Random _random = new(seed);

    public string Object(bool allowLongStrings)
    {
        var text = new StringBuilder();
        var keys = TopLevelKeys.Where(_ => _random.Next(3) > 0).OrderBy(_ => _random.Next()).ToList();
        text.Append(Space()).Append('{');
        for (var i = 0; i < keys.Count; i++)
        {
            text.Append(i > 0 ? "," : "").Append(Space()).Append(Name(keys[i])).Append(' ').Append(':').Append(Space());
            text.Append(keys[i] == "model" && _random.Next(4) > 0 ? Quote("m" + _random.Next(100)) : Value(1, allowLongStrings));
        }
        return text.Append(Space()).Append('}').Append(Space()).ToString();
    }

    private string Value(int depth, bool allowLongStrings)
    {
        var kind = _random.Next(depth > 4 ? 6 : 8);
        return kind switch
        {
            0 => "true",
            1 => "false",
            2 => "null",
            3 => Number(),
            4 or 5 => allowLongStrings && _random.Next(6) == 0 ? LongString() : "\"" + Text(_random.Next(12)) + "\"",
            6 => Array(depth, allowLongStrings),
            _ => Nested(depth, allowLongStrings),
        };
    }

    private string Array(int depth, bool allowLongStrings)
    {
        var count = _random.Next(5);
        return "[" + string.Join("," + Space(), Enumerable.Range(0, count).Select(_ => Space() + Value(depth + 1, allowLongStrings))) + Space() + "]";
    }

    private string Nested(int depth, bool allowLongStrings)
    {
        var count = _random.Next(5);
        return "{" + string.Join(",", Enumerable.Range(0, count).Select(i =>
            Space() + "\"k" + i + Text(_random.Next(3)) + "\"" + "\n:" + Space() + Value(depth + 1, allowLongStrings))) + Space() + "}";
    }

    private string Number() => _random.Next(5) switch
    {
        0 => _random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
        1 => (_random.NextDouble() * 100).ToString("R", CultureInfo.InvariantCulture),
        2 => "-1.5e3",
        3 => "12345678901234567890123",
        _ => "0",
    };

    /// <summary>A name, sometimes written with an escape (still the same name once read).</summary>
    private string Name(string name) =>
        _random.Next(5) == 0 && name.Length > 1 ? "\"" + name[0] + "\\u" + ((int)name[1]).ToString("x4", CultureInfo.InvariantCulture) + Escape(name[2..]) + "\"" : Quote(name);

    private static string Quote(string text) => "\"" + Escape(text) + "\"";

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>Text already in JSON string form: plain, escaped, raw multi-byte and surrogate pairs.</summary>
    private string Text(int pieces)
    {
        var text = new StringBuilder();
        for (var i = 0; i < pieces; i++)
        {
            text.Append(_random.Next(10) switch
            {
                0 => "\\n",
                1 => "\\\"",
                2 => "\\\\",
                3 => "\\u00e9",
                4 => "\\ud83d\\ude00",
                5 => "\u00e9",
                6 => "\U0001F600",
                7 => "\u4e2d",
                8 => "\\/",
                _ => "ab c",
            });
        }
        return text.ToString();
    }

    private string LongString()
    {
        var text = new StringBuilder("\"");
        var length = 64 * 1024 + _random.Next(150 * 1024);
        while (text.Length < length)
        {
            text.Append(Text(1 + _random.Next(40))).Append(new string('x', _random.Next(200)));
        }
        return text.Append('"').ToString();
    }

    private string Space() => _random.Next(12) switch
    {
        0 => " ",
        1 => "\n\t ",
        2 => "/* c */",
        3 => "// line\n",
        _ => "",
    };
}
