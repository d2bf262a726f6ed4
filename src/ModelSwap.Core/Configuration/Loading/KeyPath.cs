using System.Globalization;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>Builds key paths such as <c>models.llama.env[2]</c> for diagnostics.</summary>
internal static class KeyPath
{
    /// <summary>Appends a mapping key; keys that would read ambiguously (dots, spaces) are quoted.</summary>
    public static string Child(string parent, string key)
    {
        var segment = NeedsQuotes(key) ? "[\"" + key.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"]" : key;
        if (parent.Length == 0)
        {
            return segment;
        }
        return segment.StartsWith('[') ? parent + segment : parent + "." + segment;
    }

    public static string Index(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    private static bool NeedsQuotes(string key) =>
        key.Length == 0 || key.Any(c => c is '.' or '[' or ']' or '"' || char.IsWhiteSpace(c));
}
