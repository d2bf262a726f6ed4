using System.Globalization;
using System.Text;

namespace ModelSwap.Engine.Grammar;

/// <summary>
/// A JSON Schema `pattern` (ECMA-262 syntax) as a GBNF expression for the characters inside a JSON
/// string: literals and escapes, character classes (ranges, negation, \d \w \s), `.`, groups
/// (plain, non-capturing, named), alternation, the quantifiers * + ? {n} {n,} {n,m} (lazy ones too),
/// and ^ / $ at the ends. The output always matches the whole pattern, so it also satisfies an
/// unanchored one. Characters JSON must escape are written escaped; classes and `.` leave out `"`,
/// `\` and control characters (a subset of what the pattern allows, never more). Anything else —
/// lookaround, backreferences, word boundaries, Unicode properties, flags — throws
/// <see cref="SchemaNotSupportedException"/> naming the construct.
/// </summary>
internal sealed class RegexGrammar
{
    private const string NotJson = "\"\\\\\\x00-\\x1F\\x7F";
    private readonly string _pattern;
    private readonly string _where;
    private int _at;

    private RegexGrammar(string pattern, string where)
    {
        _pattern = pattern;
        _where = where;
    }

    public static string Expression(string pattern, string where)
    {
        var parser = new RegexGrammar(pattern, where);
        if (parser.Peek('^'))
            parser._at++;
        var expression = parser.Alternation();
        if (parser.Peek('$'))
            parser._at++;
        if (parser._at < pattern.Length)
            throw parser.Unsupported(pattern[parser._at] == ')' ? "an unmatched ')'" : $"'{pattern[parser._at]}' here");
        return expression;
    }

    private bool Peek(char c) => _at < _pattern.Length && _pattern[_at] == c;

    private SchemaNotSupportedException Unsupported(string what) =>
        new($"{_where}: the regular expression construct {what} (at offset {_at.ToString(CultureInfo.InvariantCulture)} of '{_pattern}') is not supported for structured output");

    private string Alternation()
    {
        var branches = new List<string> { Sequence() };
        while (Peek('|'))
        {
            _at++;
            branches.Add(Sequence());
        }
        return branches.Count == 1 ? branches[0] : "( " + string.Join(" | ", branches) + " )";
    }

    private string Sequence()
    {
        var items = new List<string>();
        while (_at < _pattern.Length && !Peek('|') && !Peek(')') && !(Peek('$') && _at == _pattern.Length - 1))
        {
            var atom = Atom();
            items.Add(atom + Quantifier());
        }
        return items.Count == 0 ? "\"\"" : string.Join(" ", items);
    }

    private string Atom()
    {
        var c = _pattern[_at++];
        switch (c)
        {
            case '(':
            {
                if (Peek('?'))
                {
                    if (_at + 1 < _pattern.Length && _pattern[_at + 1] == ':')
                        _at += 2;
                    else if (_at + 2 < _pattern.Length && _pattern[_at + 1] == '<' && char.IsLetter(_pattern[_at + 2]))
                        _at = _pattern.IndexOf('>', _at) is var close and > 0 ? close + 1 : throw Unsupported("an unterminated group name");
                    else
                        throw Unsupported(_pattern.AsSpan(_at).StartsWith("?=") || _pattern.AsSpan(_at).StartsWith("?!") ? "lookahead '(?='/'(?!'"
                            : _pattern.AsSpan(_at).StartsWith("?<") ? "lookbehind '(?<='/'(?<!'" : "'(?' with flags");
                }
                var inner = Alternation();
                if (!Peek(')'))
                    throw Unsupported("an unclosed '('");
                _at++;
                return "( " + inner + " )";
            }
            case '[':
                return Class();
            case '.':
                return "[^" + NotJson + "]";
            case '\\':
                return Escape();
            case '^':
                _at--;
                throw Unsupported("the anchor '^' inside the pattern");
            case '$':
                _at--;
                throw Unsupported("the anchor '$' inside the pattern");
            case '*' or '+' or '?' or '{':
                _at--;
                throw Unsupported($"'{c}' with nothing to repeat");
            default:
                return Literal(c);
        }
    }

    private string Quantifier()
    {
        if (_at >= _pattern.Length)
            return "";
        string suffix;
        switch (_pattern[_at])
        {
            case '*' or '+' or '?':
                suffix = _pattern[_at++].ToString();
                break;
            case '{':
            {
                var close = _pattern.IndexOf('}', _at);
                var body = close < 0 ? "" : _pattern[(_at + 1)..close];
                var parts = body.Split(',');
                if (close < 0 || parts.Length > 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
                    || (parts.Length == 2 && parts[1].Length > 0 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                {
                    throw Unsupported("a malformed '{n,m}' quantifier");
                }
                suffix = "{" + body + "}";
                _at = close + 1;
                break;
            }
            default:
                return "";
        }
        if (Peek('?'))
            _at++; // lazy: the same strings match
        else if (Peek('+'))
            throw Unsupported("a possessive quantifier");
        return suffix;
    }

    private string Escape()
    {
        if (_at >= _pattern.Length)
            throw Unsupported("a trailing '\\'");
        var c = _pattern[_at++];
        switch (c)
        {
            case 'd': return "[0-9]";
            case 'w': return "[a-zA-Z0-9_]";
            case 's': return "\" \"";
            case 'D': return "[^0-9" + NotJson + "]";
            case 'W': return "[^a-zA-Z0-9_" + NotJson + "]";
            case 'S': return "[^ " + NotJson + "]";
            case 'n': return Literal('\n');
            case 't': return Literal('\t');
            case 'r': return Literal('\r');
            case 'x' or 'u': return Literal(HexChar(c));
            case >= '1' and <= '9':
                _at--;
                throw Unsupported("a backreference");
            case 'b' or 'B':
                _at--;
                throw Unsupported("a word boundary '\\" + c + "'");
            case 'p' or 'P' or 'k' or 'c' or '0' or 'f' or 'v':
                _at--;
                throw Unsupported("the escape '\\" + c + "'");
            default:
                return Literal(c);
        }
    }

    private char HexChar(char kind)
    {
        var digits = kind == 'x' ? 2 : 4;
        if (_at + digits > _pattern.Length || !int.TryParse(_pattern.AsSpan(_at, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            throw Unsupported($"a malformed '\\{kind}' escape");
        _at += digits;
        return (char)code;
    }

    private string Class()
    {
        var negated = Peek('^');
        if (negated)
            _at++;
        var ranges = new List<(char Low, char High)>();
        var first = true;
        while (_at < _pattern.Length && (first || !Peek(']')))
        {
            first = false;
            var low = ClassChar(ranges);
            if (low is null)
                continue;
            if (Peek('-') && _at + 1 < _pattern.Length && _pattern[_at + 1] != ']')
            {
                _at++;
                var high = ClassChar(ranges) ?? throw Unsupported("a range ending in a class escape");
                if (high < low)
                    throw Unsupported("a range out of order");
                ranges.Add((low.Value, high));
            }
            else
            {
                ranges.Add((low.Value, low.Value));
            }
        }
        if (!Peek(']'))
            throw Unsupported("an unclosed '['");
        _at++;
        if (negated)
            return "[^" + string.Concat(ranges.Select(Range)) + NotJson + "]";
        var allowed = ranges.SelectMany(JsonSafe).ToList();
        if (allowed.Count == 0)
            throw Unsupported("a class of only characters a JSON string must escape");
        return "[" + string.Concat(allowed.Select(Range)) + "]";
    }

    /// <summary>One member of a class; class escapes (\d \w \s) add their ranges and give null.</summary>
    private char? ClassChar(List<(char, char)> ranges)
    {
        var c = _pattern[_at++];
        if (c != '\\')
            return c;
        if (_at >= _pattern.Length)
            throw Unsupported("a trailing '\\'");
        var e = _pattern[_at++];
        switch (e)
        {
            case 'd': ranges.Add(('0', '9')); return null;
            case 'w': ranges.AddRange([('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]); return null;
            case 's': ranges.Add((' ', ' ')); return null;
            case 'n': return '\n';
            case 't': return '\t';
            case 'r': return '\r';
            case 'x' or 'u': return HexChar(e);
            case 'D' or 'W' or 'S' or 'b' or 'B' or 'p' or 'P':
                _at--;
                throw Unsupported("the escape '\\" + e + "' inside a class");
            default: return e;
        }
    }

    /// <summary>The part of a range a JSON string can hold unescaped: no quote, backslash or control character.</summary>
    private static IEnumerable<(char, char)> JsonSafe((char Low, char High) range)
    {
        var start = (int)range.Low;
        for (var c = (int)range.Low; c <= range.High + 1; c++)
        {
            var safe = c <= range.High && c >= 0x20 && c != '"' && c != '\\' && c != 0x7F;
            if (safe)
                continue;
            if (c > start)
                yield return ((char)start, (char)(c - 1));
            start = c + 1;
        }
    }

    private static string Range((char Low, char High) range) =>
        range.Low == range.High ? ClassMember(range.Low) : ClassMember(range.Low) + "-" + ClassMember(range.High);

    private static string ClassMember(char c) => char.IsAsciiLetterOrDigit(c)
        ? c.ToString()
        : c < 0x100 ? "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture) : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    /// <summary>A character as it appears inside the JSON string: quote, backslash and controls escaped.</summary>
    private static string Literal(char c) => c switch
    {
        '"' => "\"\\\\\\\"\"",
        '\\' => "\"\\\\\\\\\"",
        '\n' => "\"\\\\n\"",
        '\t' => "\"\\\\t\"",
        '\r' => "\"\\\\r\"",
        < (char)0x20 or (char)0x7F => "\"\\\\u00" + ((int)c).ToString("X2", CultureInfo.InvariantCulture) + "\"",
        _ => JsonGrammarPrimitives.Literal(c.ToString()),
    };
}
