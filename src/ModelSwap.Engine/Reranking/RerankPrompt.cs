using System.Text;
using LLama;
using LLama.Native;

namespace ModelSwap.Engine.Reranking;

/// <summary>
/// The tokens a reranker scores for one query and one document, built as llama-server builds them
/// (its <c>format_prompt_rerank</c>), so both runtimes feed the model the same sequence:
/// <list type="bullet">
/// <item>with a rerank template in the GGUF (<c>tokenizer.chat_template.rerank</c>, as Qwen3-Reranker
/// conversions carry): the template with <c>{query}</c> and <c>{document}</c> replaced, tokenized with
/// special tokens parsed and nothing added;</item>
/// <item>otherwise: BOS (when the vocabulary adds one), the query, EOS (when it adds one; SEP stands in
/// for a missing EOS), SEP (when it adds one), the document, EOS again; query and document are
/// tokenized as plain text.</item>
/// </list>
/// </summary>
internal sealed class RerankPrompt
{
    public const string TemplateKey = "tokenizer.chat_template.rerank";

    // llama.cpp's vocabulary loader adds a SEP by default for these tokenizers (BERT's WordPiece, and
    // the BPE pre-tokenizers of Jina and RoBERTa rerankers); tokenizer.ggml.add_sep_token overrides it.
    // LLamaSharp exposes add_bos and add_eos but not add_sep, so the same rule is read from the header.
    private static readonly HashSet<string> SepAddingPreTokenizers = ["jina-v1-en", "jina-v2-code", "roberta-bpe"];

    private readonly LLamaWeights _weights;
    private readonly LLamaToken? _bos;
    private readonly LLamaToken? _eos;
    private readonly LLamaToken? _sep;

    private RerankPrompt(LLamaWeights weights, string? template, bool addBos, bool addEos, bool addSep)
    {
        _weights = weights;
        Template = template;
        var vocab = weights.Vocab;
        _bos = addBos ? vocab.BOS : null;
        _eos = addEos ? vocab.EOS ?? vocab.SEP : null;
        _sep = addSep ? vocab.SEP : null;
    }

    /// <summary>The model's rerank template, or null when the separator form is used.</summary>
    public string? Template { get; }

    public static RerankPrompt For(LLamaWeights weights)
    {
        var metadata = weights.Metadata;
        var template = metadata.GetValueOrDefault(TemplateKey) is { Length: > 0 } t ? t : null;
        return new RerankPrompt(weights, template, weights.Vocab.ShouldAddBOS, weights.Vocab.ShouldAddEOS, AddsSep(metadata));
    }

    /// <summary>llama.cpp's <c>llama_vocab_get_add_sep</c>, from the header keys it is computed from.</summary>
    internal static bool AddsSep(IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.GetValueOrDefault("tokenizer.ggml.add_sep_token") is { } declared && bool.TryParse(declared, out var add))
            return add;
        var tokenizer = metadata.GetValueOrDefault("tokenizer.ggml.model");
        var pre = metadata.GetValueOrDefault("tokenizer.ggml.pre");
        return tokenizer == "bert" || (tokenizer == "gpt2" && pre is not null && SepAddingPreTokenizers.Contains(pre));
    }

    public LLamaToken[] Tokens(string query, string document)
    {
        if (Template is { } template)
        {
            var prompt = template.Replace("{query}", query, StringComparison.Ordinal).Replace("{document}", document, StringComparison.Ordinal);
            return _weights.Tokenize(prompt, add_bos: false, special: true, Encoding.UTF8);
        }
        var tokens = new List<LLamaToken>();
        if (_bos is { } bos)
            tokens.Add(bos);
        tokens.AddRange(Plain(query));
        if (_eos is { } eos)
            tokens.Add(eos);
        if (_sep is { } sep)
            tokens.Add(sep);
        tokens.AddRange(Plain(document));
        if (_eos is { } end)
            tokens.Add(end);
        return [.. tokens];
    }

    private LLamaToken[] Plain(string text) =>
        text.Length == 0 ? [] : _weights.Tokenize(text, add_bos: false, special: false, Encoding.UTF8);
}
