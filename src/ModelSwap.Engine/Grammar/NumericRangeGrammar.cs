using System.Globalization;
using System.Text;

namespace ModelSwap.Engine.Grammar;

/// <summary>
/// GBNF for integers and decimal numbers within bounds, built digit by digit (the way a regex for a
/// numeric range is written: split by digit count, then by leading digit), so any range can be
/// enforced, not only small ones. Bounds beyond 15 digits are pulled in to 15 digits: every number
/// written then still satisfies the schema and stays exact in JavaScript (zod's int() gives ±2^53).
/// </summary>
internal static class NumericRangeGrammar
{
    /// <summary>The largest magnitude written: 15 nines, below 2^53.</summary>
    public const long Cap = 999_999_999_999_999;

    private const string Fraction = "\".\" [0-9]{1,6}";
    private const string NonZeroFraction = "\".\" [0-9]{0,5} [1-9]";

    /// <summary>Integers in [<paramref name="low"/>, <paramref name="high"/>] (low ≤ high), as one GBNF expression.</summary>
    public static string Integer(long low, long high)
    {
        (low, high) = Clamp(low, high);
        var alternatives = new List<string>();
        if (high >= 0)
        {
            alternatives.Add(NonNegative(Math.Max(low, 0), high));
        }
        if (low < 0)
        {
            alternatives.Add($"\"-\" {NonNegative(Math.Max(-high, 1), -low)}");
        }
        return Group(alternatives);
    }

    /// <summary>
    /// Decimal numbers (no exponent) between whole-number bounds, each inclusive or exclusive; null
    /// is unbounded on that side. Null when no number satisfies them.
    /// </summary>
    public static string? Number(long? low, bool lowExclusive, long? high, bool highExclusive)
    {
        var lo = low ?? -Cap;
        var hi = high ?? Cap;
        if (lo > hi || (lo == hi && (lowExclusive || highExclusive)))
        {
            return null;
        }
        (lo, hi) = Clamp(lo, hi);
        var alternatives = new List<string>();
        if (hi > 0 || (hi == 0 && !highExclusive))
        {
            // Values from max(lo, 0): below zero is the other side.
            var (start, startExclusive) = lo >= 0 ? (lo, lowExclusive) : (0L, false);
            alternatives.AddRange(Side(start, startExclusive, hi, highExclusive));
        }
        if (lo < 0)
        {
            // -w for w in [max(-hi, 0), -lo]; zero itself belongs to the side above.
            var (start, startExclusive) = hi < 0 ? (-hi, highExclusive) : (0L, true);
            alternatives.AddRange(Side(start, startExclusive, -lo, lowExclusive).Select(a => $"\"-\" {a}"));
        }
        return alternatives.Count == 0 ? null : Group(alternatives);
    }

    /// <summary>Decimal strings for values between 0 ≤ a ≤ b, each end inclusive or not.</summary>
    private static List<string> Side(long a, bool aExclusive, long b, bool bExclusive)
    {
        var result = new List<string>();
        if (a == b)
        {
            if (!aExclusive && !bExclusive)
            {
                result.Add(Literal(a));
            }
            return result;
        }
        // a.x for x > 0 lies strictly between a and a + 1 ≤ b.
        if (aExclusive)
        {
            result.Add($"{Literal(a)} {NonZeroFraction}");
        }
        var first = aExclusive ? a + 1 : a;
        if (first <= b - 1)
        {
            result.Add($"{NonNegative(first, b - 1)} ( {Fraction} )?");
        }
        if (!bExclusive)
        {
            result.Add(Literal(b));
        }
        return result;
    }

    /// <summary>Both bounds moved within ±<see cref="Cap"/> while keeping low ≤ high.</summary>
    private static (long, long) Clamp(long low, long high)
    {
        var lo = Math.Max(low, Math.Min(high, -Cap));
        var hi = Math.Min(high, Math.Max(lo, Cap));
        return (lo, hi);
    }

    /// <summary>Integers 0 ≤ a ≤ b: one alternative per digit count.</summary>
    private static string NonNegative(long a, long b)
    {
        var alternatives = new List<string>();
        var low = a.ToString(CultureInfo.InvariantCulture);
        var high = b.ToString(CultureInfo.InvariantCulture);
        for (var digits = low.Length; digits <= high.Length; digits++)
        {
            var from = digits == low.Length ? low : "1" + new string('0', digits - 1);
            var to = digits == high.Length ? high : new string('9', digits);
            alternatives.Add(SameLength(from, to));
        }
        return Group(alternatives);
    }

    /// <summary>Digit strings of one length from <paramref name="low"/> to <paramref name="high"/>.</summary>
    private static string SameLength(string low, string high)
    {
        if (low.Length == 0)
        {
            return "";
        }
        if (low == high)
        {
            return $"\"{low}\"";
        }
        var rest = low.Length - 1;
        var anyRest = rest > 0 ? $" [0-9]{{{rest}}}" : "";
        if (low[0] == high[0])
        {
            return $"\"{low[0]}\" {SameLength(low[1..], high[1..])}";
        }
        var lowFull = low[1..].All(c => c == '0');
        var highFull = high[1..].All(c => c == '9');
        var alternatives = new List<string>();
        if (!lowFull)
        {
            alternatives.Add($"\"{low[0]}\" {SameLength(low[1..], new string('9', rest))}");
        }
        var middleFrom = lowFull ? low[0] : (char)(low[0] + 1);
        var middleTo = highFull ? high[0] : (char)(high[0] - 1);
        if (middleFrom <= middleTo)
        {
            alternatives.Add((middleFrom == middleTo ? $"\"{middleFrom}\"" : $"[{middleFrom}-{middleTo}]") + anyRest);
        }
        if (!highFull)
        {
            alternatives.Add($"\"{high[0]}\" {SameLength(new string('0', rest), high[1..])}");
        }
        return Group(alternatives);
    }

    private static string Literal(long value) => $"\"{value.ToString(CultureInfo.InvariantCulture)}\"";

    private static string Group(List<string> alternatives) =>
        alternatives.Count == 1 ? $"( {alternatives[0]} )" : new StringBuilder("( ").AppendJoin(" | ", alternatives.Select(a => $"( {a} )")).Append(" )").ToString();
}
