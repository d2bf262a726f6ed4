using System.Globalization;
using System.Text.Json.Nodes;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// A typed value: a macro's value or an expanded scalar. <see cref="Value"/> is a long, double, bool
/// or string. Text is what string interpolation inserts (Go's <c>%v</c> formatting, as llama-swap).
/// </summary>
internal sealed record MacroValue(ScalarType Type, object Value)
{
    public static MacroValue Of(string text) => new(ScalarType.String, text);

    public static MacroValue Of(long number) => new(ScalarType.Int, number);

    public string Text => Value switch
    {
        bool flag => flag ? "true" : "false",
        long number => number.ToString(CultureInfo.InvariantCulture),
        double number => FormatFloat(number),
        _ => (string)Value,
    };

    public JsonNode? ToJson() => Value switch
    {
        bool flag => JsonValue.Create(flag),
        long number => JsonValue.Create(number),
        // JSON has no infinity or NaN; keep them readable rather than failing serialization later.
        double number when double.IsFinite(number) => JsonValue.Create(number),
        double number => JsonValue.Create(FormatFloat(number)),
        _ => JsonValue.Create((string)Value),
    };

    private static string FormatFloat(double number) => number switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(number) => "NaN",
        _ => number.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal),
    };
}
