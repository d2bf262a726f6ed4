using System.Text.RegularExpressions;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// The two patterns every part of ModelSwap reads GGUF file names with (the scanner, model naming,
/// projector pairing, the Hugging Face file grouping): llama.cpp's split names and quantization
/// names. Kept in this one place so a file is read the same way everywhere.
/// </summary>
public static partial class GgufNames
{
    /// <summary>
    /// llama.cpp's gguf-split names: <c>{base}-00001-of-00003</c>, with or without <c>.gguf</c>
    /// (groups <c>base</c>, <c>part</c>, <c>count</c>).
    /// </summary>
    [GeneratedRegex(@"^(?<base>.+)-(?<part>\d{5})-of-(?<count>\d{5})(?:\.gguf)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex Split();

    /// <summary>
    /// A quantization name as a word of a file name: <c>Q4_K_M</c>, <c>Q8_0</c>, <c>Q4_0_4_4</c>,
    /// <c>IQ4_XS</c>, <c>TQ1_0</c>, <c>F16</c>, <c>BF16</c>, <c>FP16</c>, <c>F32</c>, <c>MXFP4</c>,
    /// <c>MXFP4_MOE</c>, <c>NVFP4</c>, with unsloth's optional <c>UD-</c> prefix (groups <c>ud</c>
    /// and <c>quant</c>), any case. Callers decide where it must stand (at the end of a name, or the
    /// last one anywhere).
    /// </summary>
    [GeneratedRegex(@"(?<![a-z0-9])(?<ud>ud[-_])?(?<quant>i?q\d+(?:_[a-z0-9]+)*|tq\d_\d|mxfp4(?:_moe)?|nvfp4|bf16|fp16|fp32|f16|f32)(?![a-z0-9])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex Quantization();

    /// <summary>The file name without folder, <c>.gguf</c> and split suffix.</summary>
    public static string Stem(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        if (Split().Match(name) is { Success: true } split)
        {
            return split.Groups["base"].Value;
        }
        return name.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? name[..^5] : name;
    }

    /// <summary>
    /// The quantization that ends <paramref name="stem"/> (lower case, <c>ud-</c> kept) and the stem
    /// without it and the separator before it; null when the stem does not end in one.
    /// </summary>
    public static (string Quantization, string Remainder)? TrailingQuantization(string stem)
    {
        var matches = Quantization().Matches(stem);
        if (matches.Count == 0 || matches[^1] is not { } last || last.Index + last.Length != stem.Length)
        {
            return null;
        }
        var start = last.Index > 0 && stem[last.Index - 1] is '-' or '.' or '_' ? last.Index - 1 : last.Index;
        var ud = last.Groups["ud"].Success ? "ud-" : "";
        return ((ud + last.Groups["quant"].Value).ToLowerInvariant(), stem[..start]);
    }
}
