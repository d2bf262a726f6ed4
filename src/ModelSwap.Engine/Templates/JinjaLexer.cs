using System.Globalization;
using System.Text;

namespace ModelSwap.Engine.Templates;

/// <summary>Tokenizes the inside of one tag: names, Python-style string and number literals, operators.</summary>
internal static class JinjaLexer
{
    private static readonly string[] Operators =
        ["**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|"];

    public static List<JinjaToken> Tokenize(string text, int line)
    {
        var tokens = new List<JinjaToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }
                tokens.Add(new JinjaToken(JinjaTokenKind.Name, text[start..i]));
                continue;
            }
            if (char.IsDigit(c))
            {
                tokens.Add(ReadNumber(text, ref i));
                continue;
            }
            if (c is '\'' or '"')
            {
                tokens.Add(ReadString(text, ref i, line));
                continue;
            }
            var op = Array.Find(Operators, o => string.CompareOrdinal(text, i, o, 0, o.Length) == 0)
                ?? throw new JinjaException($"line {line}: unexpected character '{c}' in '{text.Trim()}'");
            tokens.Add(new JinjaToken(JinjaTokenKind.Operator, op));
            i += op.Length;
        }
        tokens.Add(new JinjaToken(JinjaTokenKind.End, ""));
        return tokens;
    }

    private static JinjaToken ReadNumber(string text, ref int i)
    {
        var start = i;
        var isFloat = false;
        while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }
        if (i + 1 < text.Length && text[i] == '.' && char.IsDigit(text[i + 1]))
        {
            isFloat = true;
            i++;
            while (i < text.Length && char.IsDigit(text[i]))
            {
                i++;
            }
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            isFloat = true;
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }
            while (i < text.Length && char.IsDigit(text[i]))
            {
                i++;
            }
        }
        var literal = text[start..i].Replace("_", "", StringComparison.Ordinal);
        return isFloat
            ? new JinjaToken(JinjaTokenKind.Float, literal, double.Parse(literal, CultureInfo.InvariantCulture))
            : new JinjaToken(JinjaTokenKind.Integer, literal, long.Parse(literal, CultureInfo.InvariantCulture));
    }

    private static JinjaToken ReadString(string text, ref int i, int line)
    {
        var quote = text[i++];
        var value = new StringBuilder();
        while (true)
        {
            if (i >= text.Length)
            {
                throw new JinjaException($"line {line}: string literal not closed");
            }
            var c = text[i++];
            if (c == quote)
            {
                break;
            }
            if (c != '\\' || i >= text.Length)
            {
                value.Append(c);
                continue;
            }
            var e = text[i++];
            switch (e)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case '0': value.Append('\0'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case '\\': value.Append('\\'); break;
                case '\'': value.Append('\''); break;
                case '"': value.Append('"'); break;
                case '\n': break;
                case 'u' when i + 4 <= text.Length:
                    value.Append((char)int.Parse(text.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                case 'x' when i + 2 <= text.Length:
                    value.Append((char)int.Parse(text.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                default:
                    // Python keeps unknown escapes as written.
                    value.Append('\\').Append(e);
                    break;
            }
        }
        return new JinjaToken(JinjaTokenKind.String, value.ToString(), value.ToString());
    }
}
