using System.Globalization;

namespace ModelSwap.Core.Catalog.Scanning;

/// <summary>llama.cpp's split file names: <c>{base}-00001-of-00003.gguf</c>, read the same way by the scanner and the Hub's file grouping.</summary>
public static class SplitName
{
    /// <summary>The base (without the suffix), the 1-based part and the part count, or null for an unsplit name.</summary>
    public static (string Base, int Part, int Count)? Parse(string fileName)
    {
        var match = GgufNames.Split().Match(fileName);
        if (!match.Success || !fileName.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var part = int.Parse(match.Groups["part"].ValueSpan, CultureInfo.InvariantCulture);
        var count = int.Parse(match.Groups["count"].ValueSpan, CultureInfo.InvariantCulture);
        return part >= 1 && part <= count ? (match.Groups["base"].Value, part, count) : null;
    }

    /// <summary>The name of part <paramref name="part"/> of <paramref name="count"/>.</summary>
    public static string Format(string baseName, int part, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"{baseName}-{part:D5}-of-{count:D5}.gguf");
}
