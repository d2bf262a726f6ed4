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
    /// A quantization name as a whole token of a file name: <c>Q4_K_M</c>, <c>Q8_0</c>, <c>Q4_0_4_4</c>,
    /// <c>Q6_K_L</c>, <c>IQ4_XS</c>, <c>IQ2_KS</c>, <c>TQ1_0</c>, <c>F16</c>, <c>BF16</c>, <c>FP16</c>,
    /// <c>F32</c>, <c>MXFP4</c>, <c>MXFP4_MOE</c>, <c>NVFP4</c>, with unsloth's optional <c>UD-</c>
    /// prefix (groups <c>ud</c> and <c>quant</c>), any case. Read it through <see cref="QuantizationOf"/>,
    /// which decides which of several matches counts.
    /// </summary>
    /// <remarks>
    /// The parts after <c>Q4</c> are a closed list (<c>K</c>, <c>S</c>, <c>M</c>, <c>L</c>, <c>XL</c>,
    /// <c>XS</c>, <c>XXS</c>, <c>NL</c>, ik_llama's <c>KS</c>/<c>KSS</c>/<c>KT</c>/<c>KL</c>/<c>BN</c>/<c>R4</c>,
    /// numbers) because an underscore also joins ordinary words: with any word allowed,
    /// <c>Model_Q4_K_M_imat</c> read as <c>Q4_K_M_IMAT</c>. The group is atomic (longest part first) so
    /// <c>Q4_K_Mx</c> is no token at all rather than a shorter <c>Q4_K</c>.
    /// </remarks>
    [GeneratedRegex(@"(?<![a-z0-9])(?<ud>ud[-_])?(?<quant>(?>i?q\d+(?:_(?:\d+|kss|ks|kt|kl|k|xxs|xs|xl|s|m|l|nl|bn|r\d+))*)|tq\d_\d|mxfp4(?:_moe)?|nvfp4|bf16|fp16|fp32|f16|f32)(?![a-z0-9])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex Quantization();

    /// <summary>
    /// The quantization a GGUF file name names, spelled as llama.cpp and Hugging Face repos spell it
    /// (upper case, <c>UD-</c> kept, <c>FP16</c>/<c>FP32</c> as <c>F16</c>/<c>F32</c>), or null. The one rule
    /// for every face: the scanner (<c>models list</c>, <c>/api/models</c>, name collisions) and the
    /// Hub (variant labels, <c>models pull org/repo:Q4_K_M</c>) both read names through it, so the same
    /// file has the same quantization everywhere.
    /// </summary>
    /// <remarks>
    /// The rule, and why: folder, <c>.gguf</c> and the gguf-split suffix go first (<see cref="Stem"/>), so
    /// <c>-00001-of-00002</c> is never part of the answer. Then the quantization is a whole token (bounded by
    /// <c>-</c>, <c>.</c>, <c>_</c>, a space or the ends, see <see cref="Quantization"/>), and the LAST such
    /// token wins, wherever it stands: repos put the quant last (<c>Qwen2.5-7B-Instruct-Q4_K_M</c>,
    /// <c>gemma-3-1b-it.Q8_0</c>) but also before a trailing word (<c>Model-Q4_K_M-imat</c>,
    /// <c>Llama-3-8B-Q4_K_M-GGUF</c>, <c>mmproj-Q8_0-vision</c>), and model names rarely carry a
    /// quant-shaped token after the real one. Requiring it at the very end (the scanner's old rule) lost
    /// those; taking a match inside a word (<c>Qwen2</c>) would invent one. A local file's
    /// <c>general.file_type</c> is only a fallback for a name that says nothing (the caller's job): it cannot
    /// spell <c>UD-Q4_K_XL</c>, <c>Q4_K_XL</c> or <c>Q6_K_L</c> (their file type is plain Q4_K_M/Q6_K), so
    /// letting it win would make a pulled file disagree with the tag it was pulled by.
    /// </remarks>
    public static string? QuantizationOf(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return LastQuantization(Stem(fileName)) is { } match ? Canonical(match) : null;
    }

    /// <summary>
    /// <paramref name="stem"/> (a <see cref="Stem"/>) without the token <see cref="QuantizationOf"/> reads and
    /// the separator before it, so a model name never carries its quantization; the stem itself when it has none.
    /// </summary>
    public static string WithoutQuantization(string stem)
    {
        ArgumentNullException.ThrowIfNull(stem);
        if (LastQuantization(stem) is not { } match)
        {
            return stem;
        }
        var start = match.Index > 0 && stem[match.Index - 1] is '-' or '.' or '_' or ' ' ? match.Index - 1 : match.Index;
        return string.Concat(stem.AsSpan(0, start), stem.AsSpan(match.Index + match.Length));
    }

    private static Match? LastQuantization(string stem)
    {
        var matches = Quantization().Matches(stem);
        return matches.Count == 0 ? null : matches[^1];
    }

    private static string Canonical(Match match)
    {
        var quant = match.Groups["quant"].Value.ToUpperInvariant() switch
        {
            "FP16" => "F16",
            "FP32" => "F32",
            var other => other,
        };
        return match.Groups["ud"].Success ? "UD-" + quant : quant;
    }

    /// <summary>The file name without folder, <c>.gguf</c> and split suffix (read by <see cref="Scanning.SplitName"/>).</summary>
    public static string Stem(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        if (Scanning.SplitName.Parse(name) is var (baseName, _, _))
        {
            return baseName;
        }
        return name.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? name[..^5] : name;
    }

    /// <summary>
    /// The quantization that ends <paramref name="stem"/> (lower case, <c>ud-</c> kept) and the stem
    /// without it and the separator before it; null when the stem does not end in one. Only for
    /// <see cref="ProjectorRule"/>'s pairing key, which strips a trailing quant on both sides of
    /// <c>mmproj</c>; what a file's quantization IS comes from <see cref="QuantizationOf"/>.
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
