using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ModelSwap.Engine.Grammar;

namespace ModelSwap.Engine.Tests.Grammar;

/// <summary>
/// The range grammars, checked exhaustively: translated to a .NET regex (they use only literals,
/// classes, groups, alternation and counted repetition), every integer near the bounds must match
/// exactly when it lies in the range, and decimals exactly when they satisfy the bounds.
/// </summary>
public sealed class NumericRangeGrammarTests
{
    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(0L, 100L)]
    [InlineData(1L, 9L)]
    [InlineData(7L, 1234L)]
    [InlineData(-57L, 3L)]
    [InlineData(-300L, -17L)]
    [InlineData(95L, 105L)]
    [InlineData(-1L, 1L)]
    [InlineData(10L, 99999L)]
    public void Integers_match_exactly_the_range(long low, long high)
    {
        var regex = ToRegex(NumericRangeGrammar.Integer(low, high));
        for (var v = Math.Min(low, -1) - 150; v <= high + 150; v++)
        {
            var text = v.ToString(CultureInfo.InvariantCulture);
            Assert.True(regex.IsMatch(text) == (v >= low && v <= high), $"{text} in [{low}, {high}]");
        }
        Assert.DoesNotMatch(regex, "007");
        Assert.DoesNotMatch(regex, "-0");
    }

    [Fact]
    public void Javascripts_safe_integer_bounds_are_pulled_in_to_fifteen_digits()
    {
        var regex = ToRegex(NumericRangeGrammar.Integer(-9007199254740991, 9007199254740991));
        Assert.Matches(regex, "999999999999999");
        Assert.Matches(regex, "-999999999999999");
        Assert.Matches(regex, "0");
        Assert.DoesNotMatch(regex, "1000000000000000");
    }

    [Theory]
    [InlineData(0L, false, 1L, false)]
    [InlineData(0L, true, null, false)]
    [InlineData(-5L, false, 5L, true)]
    [InlineData(-10L, true, -2L, false)]
    [InlineData(3L, false, 3L, false)]
    [InlineData(null, false, 0L, true)]
    public void Numbers_match_exactly_when_they_satisfy_the_bounds(long? low, bool lowExclusive, long? high, bool highExclusive)
    {
        var regex = ToRegex(NumericRangeGrammar.Number(low, lowExclusive, high, highExclusive)!);
        foreach (var text in Candidates())
        {
            var value = decimal.Parse(text, CultureInfo.InvariantCulture);
            var inside = (low is not { } lo || (lowExclusive ? value > lo : value >= lo))
                && (high is not { } hi || (highExclusive ? value < hi : value <= hi));
            // Every match satisfies the bounds, and every in-range candidate (at most 6 decimals) matches.
            if (regex.IsMatch(text))
                Assert.True(inside, $"{text} matched outside {low}/{lowExclusive} .. {high}/{highExclusive}");
            else if (inside)
                Assert.Fail($"{text} is inside {low}/{lowExclusive} .. {high}/{highExclusive} but does not match");
        }
    }

    [Fact]
    public void Impossible_number_bounds_give_no_grammar()
    {
        Assert.Null(NumericRangeGrammar.Number(3, true, 3, false));
        Assert.Null(NumericRangeGrammar.Number(4, false, 3, false));
    }

    private static IEnumerable<string> Candidates()
    {
        for (var whole = -12; whole <= 12; whole++)
        {
            yield return whole.ToString(CultureInfo.InvariantCulture);
            foreach (var fraction in new[] { "5", "05", "000001", "25" })
            {
                var sign = whole < 0 ? "-" : "";
                yield return $"{sign}{Math.Abs(whole)}.{fraction}";
                if (whole == 0)
                    yield return $"-0.{fraction}";
            }
        }
    }

    /// <summary>The GBNF subset these grammars use, as an anchored regex.</summary>
    internal static Regex ToRegex(string gbnf)
    {
        var pattern = new StringBuilder("^(?:");
        for (var i = 0; i < gbnf.Length; i++)
        {
            var c = gbnf[i];
            switch (c)
            {
                case ' ':
                    break;
                case '"':
                    var end = gbnf.IndexOf('"', i + 1);
                    pattern.Append(Regex.Escape(gbnf[(i + 1)..end]));
                    i = end;
                    break;
                case '[':
                    var close = gbnf.IndexOf(']', i);
                    pattern.Append(gbnf, i, close - i + 1);
                    i = close;
                    break;
                case '{':
                    var brace = gbnf.IndexOf('}', i);
                    pattern.Append(gbnf, i, brace - i + 1);
                    i = brace;
                    break;
                case '(':
                    pattern.Append("(?:");
                    break;
                default:
                    pattern.Append(c);
                    break;
            }
        }
        return new Regex(pattern.Append(")$").ToString(), RegexOptions.CultureInvariant);
    }
}
