using System.Text;
using System.Text.RegularExpressions;
using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// Turns GGUF file names into Ollama-style model names, <c>family:tag</c>, lower case.
/// <para>The convention, applied to the file name:</para>
/// <list type="number">
/// <item>Drop the directory, <c>.gguf</c>, a split suffix (<c>-00001-of-00003</c>) and the
/// quantization token (<c>-Q4_K_M</c>, <c>.Q8_0</c>, <c>-IQ4_XS</c>, <c>-UD-Q4_K_XL</c>,
/// <c>-f16</c>, <c>-bf16</c>, <c>-mxfp4</c>, …), the last one wherever it stands, as
/// <see cref="GgufNames.QuantizationOf"/> reads it (<c>Llama-3-8B-Q4_K_M-GGUF</c> → <c>llama3:8b</c>).</item>
/// <item>Split the rest into words at <c>-</c>, <c>_</c> and spaces (dots stay: they belong to
/// versions such as <c>3.2</c> and <c>v1.5</c>). A leading organisation (<c>Meta-</c>,
/// <c>mistralai-</c>, <c>microsoft-</c>, <c>google-</c>, <c>nvidia-</c>, <c>ibm-</c>) and the words
/// <c>gguf</c>/<c>ggml</c> are dropped.</item>
/// <item>The family is the leading words that start with a letter, up to the first size
/// (<c>1b</c>, <c>1.5b</c>, <c>135m</c>, <c>8x7b</c>), number, <c>v</c>-version (<c>v0.3</c>) or
/// variant word (<c>instruct</c>, <c>it</c>, <c>chat</c>, <c>base</c>, <c>sft</c>, <c>dpo</c>,
/// <c>orpo</c>, <c>rlhf</c>); several family words keep their dashes (<c>qwen2.5-coder</c>,
/// <c>nomic-embed-text</c>).</item>
/// <item>A bare version right after the family (<c>3</c>, <c>3.2</c>, <c>3n</c>) is joined to it
/// without a dash: <c>llama-3.2</c> → <c>llama3.2</c>, <c>gemma-3</c> → <c>gemma3</c>.</item>
/// <item>Everything after that, in file order, joined by dashes, is the tag:
/// <c>1b-instruct</c>, <c>7b-instruct-v0.3</c>, <c>mini-4k-instruct</c>, <c>v1.5</c>.</item>
/// </list>
/// <para>GGUF metadata fills only what the file name lacks: with no family word, or only
/// <c>model</c> (<c>ggml-model-Q4_0.gguf</c>), the family comes from <c>general.basename</c> (else
/// <c>general.name</c>, else it is <c>model</c>); with an empty tag it comes
/// from <c>general.size_label</c> and <c>general.finetune</c>, else <c>latest</c>. A file name
/// that carries both parts is never renamed by its metadata, so names do not change when a
/// header is unreadable.</para>
/// <para>Examples: <c>llama-3.2-1b-instruct-q4_k_m.gguf</c> → <c>llama3.2:1b-instruct</c>;
/// <c>Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf</c> → <c>llama3.1:8b-instruct</c>;
/// <c>gemma-3-1b-it.Q4_K_M.gguf</c> → <c>gemma3:1b-it</c>; <c>nomic-embed-text-v1.5.Q8_0.gguf</c>
/// → <c>nomic-embed-text:v1.5</c>; <c>gpt-oss-20b-mxfp4.gguf</c> → <c>gpt-oss:20b</c>.</para>
/// </summary>
internal static partial class ModelNaming
{
    private static readonly HashSet<string> Organisations = ["meta", "mistralai", "microsoft", "google", "nvidia", "ibm"];
    private static readonly HashSet<string> FormatWords = ["gguf", "ggml"];
    private const string GenericFamily = "model";
    private static readonly HashSet<string> VariantWords = ["instruct", "it", "chat", "base", "sft", "dpo", "orpo", "rlhf"];

    /// <summary>The model name for one file; see the class summary for the convention.</summary>
    public static string NameFor(string fileName, GgufFile? header = null)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var stem = StemWithoutQuantization(fileName);
        var (family, tag) = Parse(Words(stem));

        (string? Family, List<string> Tag)? fromHeader = null;
        if ((header?.GetString("general.basename") ?? header?.GetString("general.name")) is { Length: > 0 } headerName)
        {
            fromHeader = Parse(Words(headerName));
        }
        // "model" (from ggml-model-q4_0.gguf, model.gguf) says nothing; the header's name says more.
        if (family is null or GenericFamily)
        {
            family = fromHeader?.Family ?? GenericFamily;
        }
        if (tag.Count == 0 && header is not null)
        {
            tag.AddRange(new[] { header.GetString("general.size_label"), header.GetString("general.finetune") }
                .Select(part => Sanitize(part ?? "")).Where(part => part.Length > 0));
            if (tag.Count == 0 && fromHeader is { } h)
            {
                tag.AddRange(h.Tag);
            }
        }
        var tagText = Sanitize(string.Join('-', tag));
        return $"{family}:{(tagText.Length > 0 ? tagText : "latest")}";
    }

    /// <summary>
    /// The quantization a local file has, lower case as in model names (<c>q4_k_m</c>, <c>ud-q4_k_xl</c>,
    /// <c>f16</c>): what its name says by <see cref="GgufNames.QuantizationOf"/> (the rule the Hub reads
    /// repo files with), else what <c>general.file_type</c> names, else null. The name wins over the
    /// header because the header cannot spell <c>UD-Q4_K_XL</c> or <c>Q6_K_L</c>.
    /// </summary>
    public static string? QuantizationOf(string fileName, GgufFile? header = null)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return GgufNames.QuantizationOf(fileName)?.ToLowerInvariant()
            ?? (header?.GetUInt32("general.file_type") is uint type ? GgufFileType.NameOf(type) : null);
    }

    /// <summary>
    /// Names for a set of models (one entry per model: the first file of a split model), keyed by
    /// path. Files that would share a name all get their quantization appended
    /// (<c>llama3.2:1b-instruct-q4_k_m</c>, <c>llama3.2:1b-instruct-q8_0</c>); any name still shared
    /// (same quantization in two folders) gets <c>-2</c>, <c>-3</c>, … in ordinal path order. The
    /// input order never matters, so names are the same on every scan of the same files.
    /// </summary>
    public static IReadOnlyDictionary<string, string> AssignNames(IEnumerable<(string Path, GgufFile? Header)> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var items = models
            .DistinctBy(m => m.Path, StringComparer.Ordinal)
            .OrderBy(m => m.Path, StringComparer.Ordinal)
            .Select(m => (m.Path, m.Header, Name: NameFor(Path.GetFileName(m.Path), m.Header)))
            .ToList();
        var shared = items.GroupBy(i => i.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        // Names that need no suffix are reserved first, so a "-2" never steals one of them.
        var wanted = items.Select(i => (i.Path, Name: shared.Contains(i.Name) ? WithQuantization(i.Name, QuantizationOf(Path.GetFileName(i.Path), i.Header)) : i.Name)).ToList();
        var counts = wanted.GroupBy(w => w.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var (path, name) in wanted.Where(w => counts[w.Name] == 1))
        {
            names[path] = name;
            taken.Add(name);
        }
        foreach (var (path, name) in wanted.Where(w => counts[w.Name] > 1))
        {
            var unique = name;
            for (var n = 2; !taken.Add(unique); n++)
            {
                unique = $"{name}-{n}";
            }
            names[path] = unique;
        }
        return names;
    }

    private static string WithQuantization(string name, string? quantization)
    {
        if (quantization is null)
        {
            return name;
        }
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        var tag = name[(colon + 1)..];
        return tag == "latest" ? $"{name[..colon]}:{quantization}" : $"{name}-{quantization}";
    }

    /// <summary>File name without directory, <c>.gguf</c>, split suffix and the quantization token.</summary>
    private static string StemWithoutQuantization(string fileName) =>
        GgufNames.WithoutQuantization(GgufNames.Stem(fileName));

    private static List<string> Words(string text) =>
        [.. WordSeparators().Split(text.ToLowerInvariant()).Select(Sanitize).Where(w => w.Length > 0 && !FormatWords.Contains(w))];

    private static (string? Family, List<string> Tag) Parse(List<string> words)
    {
        var i = 0;
        if (words.Count > 1 && Organisations.Contains(words[0]) && IsFamilyWord(words[1]))
        {
            i = 1;
        }
        var family = new List<string>();
        while (i < words.Count && IsFamilyWord(words[i]))
        {
            family.Add(words[i++]);
        }
        if (family.Count > 0 && i < words.Count && BareVersion().IsMatch(words[i]))
        {
            family[^1] += words[i++];
        }
        return (family.Count > 0 ? string.Join('-', family) : null, words[i..]);
    }

    private static bool IsFamilyWord(string word) =>
        char.IsAsciiLetter(word[0]) && !VariantWords.Contains(word) && !VVersion().IsMatch(word);

    /// <summary>Keeps <c>a-z 0-9 . _ -</c>; anything else becomes a dash; dashes collapse and trim.</summary>
    private static string Sanitize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            var keep = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-';
            var next = keep ? c : '-';
            if (next == '-' && builder.Length > 0 && builder[^1] == '-')
            {
                continue;
            }
            builder.Append(next);
        }
        return builder.ToString().Trim('-', '.', '_');
    }

    [GeneratedRegex(@"[-_\s]+")]
    private static partial Regex WordSeparators();

    // A letter may follow (gemma-3n) but not b, m or k, which make sizes and context lengths.
    [GeneratedRegex(@"^\d{1,2}(?:\.\d+)*[ac-jl-z]?$")]
    private static partial Regex BareVersion();

    [GeneratedRegex(@"^v\d+(?:\.\d+)*$")]
    private static partial Regex VVersion();
}
