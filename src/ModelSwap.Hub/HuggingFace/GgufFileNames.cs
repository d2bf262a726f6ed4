namespace ModelSwap.Hub.HuggingFace;

/// <summary>
/// What a GGUF file's name says: split-part numbering (llama.cpp's gguf-split "-00001-of-00003"),
/// whether it is an mmproj, and whether a quantization matches a wanted one. The quantization itself is
/// read by Core's one rule, <see cref="ModelSwap.Core.Catalog.GgufNames.QuantizationOf"/>, the one the
/// scanner uses, so a repo listing and a scan of the pulled files agree.
/// Names are the only source: the Hub's file list carries no GGUF metadata.
/// </summary>
internal static class GgufFileNames
{
    /// <summary>Quantizations a pull chooses, in order, when the user names none (llama.cpp and Ollama default to Q4_K_M).</summary>
    public static IReadOnlyList<string> DefaultPreference { get; } =
        ["Q4_K_M", "Q4_K_S", "UD-Q4_K_XL", "Q4_K_XL", "Q4_0", "IQ4_XS", "IQ4_NL", "MXFP4", "MXFP4_MOE", "Q5_K_M", "Q5_K_S", "Q6_K", "Q8_0"];

    public static bool IsGguf(string path) => path.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase);

    /// <summary>mmproj files are vision/audio projectors, not models on their own.</summary>
    public static bool IsProjector(string path) => ModelSwap.Core.Catalog.ProjectorRule.IsProjectorName(path);

    /// <summary>Reads "name-00002-of-00005.gguf" into ("name", 2, 5); false for a single-file model.</summary>
    public static bool TryParseSplit(string fileName, out string baseName, out int part, out int count)
    {
        if (ModelSwap.Core.Catalog.Scanning.SplitName.Parse(Path.GetFileName(fileName)) is var (splitBase, splitPart, splitCount))
        {
            (baseName, part, count) = (splitBase, splitPart, splitCount);
            return true;
        }
        baseName = StripGguf(Path.GetFileName(fileName));
        part = 1;
        count = 1;
        return false;
    }

    /// <summary>True when <paramref name="wanted"/> names <paramref name="quantization"/> (case-insensitive, "UD-" optional).</summary>
    public static bool QuantizationMatches(string? quantization, string wanted)
    {
        if (quantization is null)
        {
            return false;
        }
        if (string.Equals(quantization, wanted, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        static string Bare(string q) => q.StartsWith("UD-", StringComparison.OrdinalIgnoreCase) ? q[3..] : q;
        return string.Equals(Bare(quantization), Bare(wanted), StringComparison.OrdinalIgnoreCase);
    }

    internal static string StripGguf(string fileName) =>
        IsGguf(fileName) ? fileName[..^".gguf".Length] : fileName;
}
