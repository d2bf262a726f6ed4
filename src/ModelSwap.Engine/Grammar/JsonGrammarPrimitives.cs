using System.Text;

namespace ModelSwap.Engine.Grammar;

/// <summary>
/// The GBNF building blocks of JSON: bounded whitespace, strings, numbers, any value. Lengths are
/// bounded where JSON allows it (number digits, whitespace) so a constrained reply always ends.
/// Dates are real calendar dates (no 31st of April, no February 29th), as strict validators check,
/// and time offsets stay within ±14 hours, as real zones do (.NET and others refuse wider ones).
/// </summary>
internal static class JsonGrammarPrimitives
{
    public const string Rules = """
        ws ::= [ ]?
        json-char ::= [^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})
        json-string ::= "\"" json-char* "\""
        json-integer ::= "-"? ([0-9] | [1-9] [0-9]{0,15})
        json-number ::= json-integer ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,3})?
        json-boolean ::= "true" | "false"
        json-null ::= "null"
        json-value ::= json-object | json-array | json-string | json-number | json-boolean | json-null
        json-object ::= "{" ws ( json-string ws ":" ws json-value ( ws "," ws json-string ws ":" ws json-value )* )? ws "}"
        json-array ::= "[" ws ( json-value ( ws "," ws json-value )* )? ws "]"
        json-date ::= [0-9]{4} "-" ( ( "0" [13578] | "1" [02] ) "-" ( "0" [1-9] | [12] [0-9] | "3" [01] ) | ( "0" [469] | "11" ) "-" ( "0" [1-9] | [12] [0-9] | "30" ) | "02-" ( "0" [1-9] | "1" [0-9] | "2" [0-8] ) )
        json-time ::= ( [01] [0-9] | "2" [0-3] ) ":" [0-5] [0-9] ":" [0-5] [0-9] ( "." [0-9]{1,6} )? ( "Z" | [+-] ( ( "0" [0-9] | "1" [0-3] ) ":" [0-5] [0-9] | "14:00" ) )
        json-hex ::= [0-9a-fA-F]
        json-uuid ::= "\"" json-hex{8} "-" json-hex{4} "-" json-hex{4} "-" json-hex{4} "-" json-hex{12} "\""
        json-uri ::= "\"" "http" "s"? "://" [a-z0-9]{1,16} ( "." [a-z0-9]{1,16} ){0,3} ( "/" [a-zA-Z0-9._~-]{1,16} ){0,4} "\""
        json-email ::= "\"" [a-zA-Z0-9._%+-]{1,32} "@" [a-zA-Z0-9-]{1,32} ( "." [a-zA-Z0-9-]{1,16} ){1,3} "\""
        """;

    /// <summary>A GBNF string literal matching exactly <paramref name="text"/>.</summary>
    public static string Literal(string text)
    {
        var result = new StringBuilder("\"");
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': result.Append("\\\""); break;
                case '\\': result.Append("\\\\"); break;
                case '\n': result.Append("\\n"); break;
                case '\r': result.Append("\\r"); break;
                case '\t': result.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        result.Append("\\x").Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        result.Append(c);
                    }
                    break;
            }
        }
        return result.Append('"').ToString();
    }
}
