using System.Globalization;
using System.Text.RegularExpressions;
using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Core.Catalog.Scanning;

/// <summary>What a header says about the kind of model: embedding, instruct, projector, size.</summary>
internal static partial class ModelTraits
{
    /// <summary>
    /// Encoder architectures llama.cpp serves for embeddings (and reranking) only; their headers
    /// do not always carry a pooling type.
    /// </summary>
    private static readonly HashSet<string> EmbeddingArchitectures =
        new(["bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "jina-bert-v3", "modern-bert", "neo-bert"], StringComparer.Ordinal);

    private static readonly HashSet<string> InstructWords = new(["instruct", "chat", "it", "sft", "dpo", "orpo", "rlhf"], StringComparer.Ordinal);

    /// <summary>
    /// An embedding model: a pooling type other than none (<c>{arch}.pooling_type</c> &gt; 0, which
    /// is what makes llama.cpp return one vector per input), or a BERT-like architecture.
    /// </summary>
    public static bool IsEmbedding(GgufFile header)
    {
        var architecture = header.Architecture;
        if (architecture is null)
        {
            return false;
        }
        return header.GetUInt64($"{architecture}.pooling_type") is > 0 || EmbeddingArchitectures.Contains(architecture);
    }

    /// <summary>The pooling type the header declares (<c>{arch}.pooling_type</c>); null when it declares none.</summary>
    public static PoolingType? Pooling(GgufFile header) =>
        header.GetArchitectureUInt64("pooling_type") is ulong value && value <= (ulong)PoolingType.Rank ? (PoolingType)value : null;

    /// <summary>
    /// A reranker: rank pooling, or a classification head (<c>cls.*</c> tensors or classifier labels,
    /// as bge-reranker, jina-reranker and Qwen3-Reranker conversions carry), or an embedding-like model
    /// named a reranker.
    /// </summary>
    public static bool IsReranker(string fileName, GgufFile header, bool hasClassifierHead) =>
        Pooling(header) == PoolingType.Rank
        || hasClassifierHead
        || (IsEmbedding(header) && fileName.Contains("rerank", StringComparison.OrdinalIgnoreCase));

    /// <summary>A vision projector: the <c>clip</c> architecture, or <c>mmproj</c> in the file name.</summary>
    public static bool IsProjector(string fileName, GgufFile? header) =>
        ProjectorRule.IsProjectorName(fileName) || header?.Architecture == "clip";

    /// <summary>Instruction or chat tuned: a chat template, or instruct/chat/it in the file name or <c>general.finetune</c>.</summary>
    public static bool IsInstruct(string fileName, GgufFile header, bool hasChatTemplate) =>
        hasChatTemplate || HasInstructWord(fileName) || HasInstructWord(header.GetString("general.finetune") ?? "");

    private static bool HasInstructWord(string text) =>
        Words().Split(text.ToLowerInvariant()).Any(InstructWords.Contains);

    /// <summary>
    /// <c>general.size_label</c> (<c>1.5B</c>, <c>135M</c>, <c>30B-A3B</c>) as a count, else the
    /// tensors' element count. An expert label (<c>8x7B</c>) overstates shared weights, so there the
    /// tensors' count is preferred.
    /// </summary>
    public static long? ParameterCount(GgufFile header, long tensorParameters)
    {
        var match = SizeLabel().Match(header.GetString("general.size_label") ?? "");
        if (match.Success && !match.Groups["experts"].Success)
        {
            return Scale(match);
        }
        if (tensorParameters > 0)
        {
            return tensorParameters;
        }
        return match.Success ? Scale(match) : null;
    }

    private static long Scale(Match match)
    {
        var value = double.Parse(match.Groups["value"].ValueSpan, CultureInfo.InvariantCulture);
        var experts = match.Groups["experts"].Success ? long.Parse(match.Groups["experts"].ValueSpan, CultureInfo.InvariantCulture) : 1;
        var unit = char.ToUpperInvariant(match.Groups["unit"].Value[0]) switch
        {
            'K' => 1e3,
            'M' => 1e6,
            'B' => 1e9,
            _ => 1e12,
        };
        return (long)Math.Round(experts * value * unit);
    }

    [GeneratedRegex(@"^\s*(?:(?<experts>\d+)x)?(?<value>\d+(?:\.\d+)?)(?<unit>[KMBT])(?![a-z])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizeLabel();

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex Words();
}
