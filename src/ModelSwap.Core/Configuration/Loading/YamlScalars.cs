using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// Resolves a scalar's type like the YAML 1.2 core schema (what llama-swap's yaml.v3 decodes into
/// <c>any</c>): only plain scalars are typed; quoted and block scalars are always strings.
/// </summary>
internal static partial class YamlScalars
{
    private const string StrTag = "tag:yaml.org,2002:str";

    public static (ScalarType Type, object? Value) Resolve(YamlScalarNode node, string text)
    {
        if (node.Style != ScalarStyle.Plain || (!node.Tag.IsNonSpecific && !node.Tag.IsEmpty && node.Tag.Value == StrTag))
        {
            return (ScalarType.String, text);
        }
        return ResolvePlain(text);
    }

    public static (ScalarType Type, object? Value) ResolvePlain(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return (ScalarType.Null, null);
            case "true" or "True" or "TRUE":
                return (ScalarType.Bool, true);
            case "false" or "False" or "FALSE":
                return (ScalarType.Bool, false);
        }
        if (DecimalInt().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var decimalValue))
        {
            return (ScalarType.Int, decimalValue);
        }
        if (text.StartsWith("0x", StringComparison.Ordinal) && text.Length > 2
            && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hexValue))
        {
            return (ScalarType.Int, hexValue);
        }
        if (OctalInt().IsMatch(text))
        {
            try
            {
                return (ScalarType.Int, Convert.ToInt64(text[2..], 8));
            }
            catch (OverflowException)
            {
                return (ScalarType.String, text);
            }
        }
        if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var floatValue))
        {
            return (ScalarType.Float, floatValue);
        }
        return text switch
        {
            ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => (ScalarType.Float, double.PositiveInfinity),
            "-.inf" or "-.Inf" or "-.INF" => (ScalarType.Float, double.NegativeInfinity),
            ".nan" or ".NaN" or ".NAN" => (ScalarType.Float, double.NaN),
            _ => (ScalarType.String, text),
        };
    }

    /// <summary>YAML 1.1 spellings yaml.v3 still accepts for a field declared as bool.</summary>
    public static bool? LegacyBool(string text) => text.ToLowerInvariant() switch
    {
        "yes" or "on" or "y" => true,
        "no" or "off" or "n" => false,
        _ => null,
    };

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex DecimalInt();

    [GeneratedRegex(@"^0o[0-7]+$")]
    private static partial Regex OctalInt();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
