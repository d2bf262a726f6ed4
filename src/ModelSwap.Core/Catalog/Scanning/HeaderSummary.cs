using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Core.Catalog.Scanning;

/// <summary>
/// The part of a GGUF header a scan needs, small enough to cache for thousands of files: every
/// metadata value except arrays (vocabularies) and the chat template, which are what make headers
/// megabytes long.
/// </summary>
/// <param name="Header">The header without arrays, chat template and tensor infos.</param>
/// <param name="TensorParameters">Sum of the tensors' element counts.</param>
/// <param name="RequiredLength">Bytes the file must have to hold all of its tensor data.</param>
/// <param name="HasClassifierHead">A <c>cls.*</c> tensor or classifier labels: a reranker's scoring head.</param>
/// <param name="Tokenizer">The tokenizer's signature; null when the header has no vocabulary.</param>
internal sealed record HeaderSummary(GgufFile Header, long TensorParameters, long RequiredLength, bool HasChatTemplate,
    bool HasClassifierHead = false, TokenizerSignature? Tokenizer = null)
{
    public const string ChatTemplateKey = "tokenizer.chat_template";
    private const string TokensKey = "tokenizer.ggml.tokens";

    /// <summary>A scan keeps no arrays (see <see cref="From"/>), so it reads past vocabularies without building them.</summary>
    private static readonly GgufReadLimits ScanLimits = GgufReadLimits.Default with { KeepArraysUpTo = 64 };

    public static HeaderSummary Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        var full = GgufReader.Read(new LengthHidingStream(file), ScanLimits);
        return From(full);
    }

    public static HeaderSummary From(GgufFile full)
    {
        var kept = full.Metadata
            .Where(p => p.Value.Type != GgufValueType.Array && p.Key != ChatTemplateKey)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        UInt128 end = (ulong)full.DataOffset;
        foreach (var tensor in full.Tensors)
        {
            if (tensor.ByteSize is long size)
            {
                var tensorEnd = (UInt128)(ulong)full.DataOffset + tensor.Offset + (ulong)size;
                if (tensorEnd > end)
                {
                    end = tensorEnd;
                }
            }
        }
        var required = end > long.MaxValue ? long.MaxValue : (long)end;
        var hasTemplate = full.GetString(ChatTemplateKey) is { Length: > 0 };
        var classifier = full.Tensors.Any(t => t.Name.StartsWith("cls.", StringComparison.Ordinal))
            || (full.Architecture is { } arch && full.Get($"{arch}.classifier.output_labels") is not null);
        var slim = new GgufFile(full.Version, kept, [], full.Alignment, full.DataOffset);
        return new HeaderSummary(slim, full.ParameterCount, required, hasTemplate, classifier, SignatureOf(full));
    }

    /// <summary>The tokenizer signature of a header (whether or not its arrays were kept).</summary>
    public static TokenizerSignature? SignatureOf(GgufFile header)
    {
        if (header.GetArray(TokensKey) is not { } tokens)
        {
            return null;
        }
        var size = tokens.OmittedCount > 0 ? tokens.OmittedCount : tokens.Count;
        return new TokenizerSignature(header.GetString("tokenizer.ggml.model"), header.GetString("tokenizer.ggml.pre"), size,
            header.GetInt64("tokenizer.ggml.bos_token_id"), header.GetInt64("tokenizer.ggml.eos_token_id"));
    }
}
