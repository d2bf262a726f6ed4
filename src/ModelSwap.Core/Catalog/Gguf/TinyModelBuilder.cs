using System.Globalization;

namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>
/// Writes small random-weight <c>llama</c> models that llama.cpp (and so LLamaSharp) loads and runs:
/// a real byte-fallback vocabulary, a ChatML template, and weights fixed by a seed. They produce
/// gibberish, but real gibberish: tokenization, templates, sampling, batching and embeddings all
/// exercise the same code paths as a downloaded model, with no network and no large files.
/// </summary>
internal static class TinyModelBuilder
{
    /// <summary>The ChatML template (Qwen, SmolLM, …); llama.cpp recognises it by <c>&lt;|im_start|&gt;</c>.</summary>
    public const string ChatMLTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    // The hidden dimension kept constant through every layer; it acts as a bias for the output
    // layer, which is how control tokens are pushed far below ordinary pieces.
    private const int BiasDimension = 0;
    private const float SuppressedLogitWeight = -100f;
    private static readonly string[] RerankLabels = ["yes", "no"];

    /// <summary>Writes the model atomically (temporary file, then rename).</summary>
    public static void Write(string path, TinyModelOptions? options = null) => CreateWriter(options ?? new TinyModelOptions()).WriteTo(path);

    /// <summary>The model as a writer, so callers may add or change metadata before writing.</summary>
    public static GgufWriter CreateWriter(TinyModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var shape = TinyModelShape.For(options.Size);
        if (options.Layers is { } layers)
        {
            if (layers < 1)
            {
                throw new ArgumentException($"Layers must be at least 1, not {layers}.", nameof(options));
            }
            shape = shape with { Layers = layers };
        }
        var matrixType = options.MatrixType ?? (options.Size == TinyModelSize.Tiny ? GgmlType.F32 : GgmlType.F16);
        if (matrixType is not (GgmlType.F32 or GgmlType.F16))
        {
            throw new ArgumentException($"Matrices can be F32 or F16, not {matrixType}.", nameof(options));
        }
        var vocabulary = TinyVocabulary.Create(shape.Vocabulary, options.FillInTheMiddle != FimTokenKeys.None);
        var encoder = options.Embedding || options.Reranker;
        var name = options.Name ?? (options.Reranker ? "tiny-reranker" : options.Embedding ? "tiny-embed" : "tiny-llama");
        var template = options.ChatTemplate ?? (encoder ? "" : ChatMLTemplate);
        var suppress = options.SuppressSpecialTokens && !encoder;
        // A reranker is Qwen3-Reranker's shape: llama.cpp scores the last token through cls.output.
        var arch = options.Reranker ? "qwen3" : "llama";

        var writer = new GgufWriter();
        writer.Set("general.architecture", GgufValue.String(arch));
        writer.Set("general.type", GgufValue.String("model"));
        writer.Set("general.name", GgufValue.String(name));
        writer.Set("general.basename", GgufValue.String(name));
        writer.Set("general.size_label", GgufValue.String(SizeLabel(shape.ParameterCount)));
        writer.Set("general.file_type", GgufValue.UInt32(matrixType == GgmlType.F32 ? 0u : 1u)); // LLAMA_FTYPE_ALL_F32 / MOSTLY_F16
        writer.Set("general.alignment", GgufValue.UInt32(GgufFile.DefaultAlignment));
        writer.Set($"{arch}.vocab_size", GgufValue.UInt32((uint)shape.Vocabulary));
        writer.Set($"{arch}.context_length", GgufValue.UInt32((uint)options.ContextLength));
        writer.Set($"{arch}.embedding_length", GgufValue.UInt32((uint)shape.Embedding));
        writer.Set($"{arch}.block_count", GgufValue.UInt32((uint)shape.Layers));
        writer.Set($"{arch}.feed_forward_length", GgufValue.UInt32((uint)shape.FeedForward));
        writer.Set($"{arch}.attention.head_count", GgufValue.UInt32((uint)shape.Heads));
        writer.Set($"{arch}.attention.head_count_kv", GgufValue.UInt32((uint)shape.KvHeads));
        writer.Set($"{arch}.attention.layer_norm_rms_epsilon", GgufValue.Float32(1e-5f));
        writer.Set($"{arch}.rope.dimension_count", GgufValue.UInt32((uint)shape.HeadDimension));
        writer.Set($"{arch}.rope.freq_base", GgufValue.Float32(10000f));
        var pooling = options.Reranker ? PoolingType.Rank : options.Pooling ?? (options.Embedding ? PoolingType.Mean : null);
        if (pooling is { } declared && options.DeclarePooling)
        {
            writer.Set($"{arch}.pooling_type", GgufValue.UInt32((uint)declared));
        }
        if (options.Reranker)
        {
            writer.Set($"{arch}.classifier.output_labels", GgufValue.StringArray(RerankLabels));
        }
        writer.Set("tokenizer.ggml.model", GgufValue.String("llama"));
        writer.Set("tokenizer.ggml.tokens", GgufValue.StringArray(vocabulary.Tokens));
        writer.Set("tokenizer.ggml.scores", GgufValue.Float32Array(vocabulary.Scores()));
        writer.Set("tokenizer.ggml.token_type", GgufValue.Int32Array(vocabulary.Types));
        writer.Set("tokenizer.ggml.bos_token_id", GgufValue.UInt32((uint)vocabulary.BosId));
        writer.Set("tokenizer.ggml.eos_token_id", GgufValue.UInt32((uint)vocabulary.EosId));
        writer.Set("tokenizer.ggml.unknown_token_id", GgufValue.UInt32((uint)vocabulary.UnknownId));
        writer.Set("tokenizer.ggml.eot_token_id", GgufValue.UInt32((uint)vocabulary.ImEnd));
        writer.Set("tokenizer.ggml.add_bos_token", GgufValue.Bool(true));
        writer.Set("tokenizer.ggml.add_eos_token", GgufValue.Bool(false));
        if (options.FillInTheMiddle != FimTokenKeys.None)
        {
            var keys = options.FillInTheMiddle == FimTokenKeys.Current
                ? FillInTheMiddleTokens.CurrentKeys
                : FillInTheMiddleTokens.LegacyKeys;
            writer.Set(keys[0], GgufValue.UInt32((uint)vocabulary.FimPrefix));
            writer.Set(keys[1], GgufValue.UInt32((uint)vocabulary.FimSuffix));
            writer.Set(keys[2], GgufValue.UInt32((uint)vocabulary.FimMiddle));
        }
        if (template.Length > 0)
        {
            writer.Set("tokenizer.chat_template", GgufValue.String(template));
        }
        foreach (var (key, value) in options.ExtraMetadata)
        {
            writer.Set(key, value);
        }

        AddTensors(writer, shape, vocabulary, matrixType, options.Seed, suppress, options.Reranker);
        return writer;
    }

    private static void AddTensors(GgufWriter writer, TinyModelShape s, TinyVocabulary vocabulary, GgmlType type, int seed, bool suppress, bool reranker)
    {
        var kv = s.KvHeads * s.HeadDimension;
        // ggml order: [inputs, outputs]; data is one row of `inputs` values per output.
        Matrix("token_embd.weight", s.Embedding, s.Vocabulary, 1f, keepBias: suppress, setBias: suppress);
        writer.AddTensor("output_norm.weight", [s.Embedding], Ones(s.Embedding));
        AddOutput();
        if (reranker)
        {
            // Rows scale like the output layer's, so the yes/no softmax varies with the input.
            Matrix("cls.output.weight", s.Embedding, RerankLabels.Length, MathF.Sqrt(12f / s.Embedding));
        }
        for (var layer = 0; layer < s.Layers; layer++)
        {
            var p = string.Create(CultureInfo.InvariantCulture, $"blk.{layer}.");
            writer.AddTensor(p + "attn_norm.weight", [s.Embedding], Ones(s.Embedding));
            Matrix(p + "attn_q.weight", s.Embedding, s.Embedding, Scale(s.Embedding));
            Matrix(p + "attn_k.weight", s.Embedding, kv, Scale(s.Embedding));
            Matrix(p + "attn_v.weight", s.Embedding, kv, Scale(s.Embedding));
            Matrix(p + "attn_output.weight", s.Embedding, s.Embedding, Scale(s.Embedding), keepBias: suppress);
            if (reranker)
            {
                writer.AddTensor(p + "attn_q_norm.weight", [s.HeadDimension], Ones(s.HeadDimension));
                writer.AddTensor(p + "attn_k_norm.weight", [s.HeadDimension], Ones(s.HeadDimension));
            }
            writer.AddTensor(p + "ffn_norm.weight", [s.Embedding], Ones(s.Embedding));
            Matrix(p + "ffn_gate.weight", s.Embedding, s.FeedForward, Scale(s.Embedding));
            Matrix(p + "ffn_up.weight", s.Embedding, s.FeedForward, Scale(s.Embedding));
            Matrix(p + "ffn_down.weight", s.FeedForward, s.Embedding, Scale(s.FeedForward), keepBias: suppress);
        }

        // keepBias: the output row for the bias dimension is zero, so layers never change it.
        // setBias: the input value of the bias dimension is 1 for every token.
        void Matrix(string name, int inputs, int outputs, float scale, bool keepBias = false, bool setBias = false) =>
            writer.AddTensor(name, [inputs, outputs], type, stream =>
            {
                var random = new DeterministicRandom(seed, name);
                var row = new float[inputs];
                for (var o = 0; o < outputs; o++)
                {
                    for (var i = 0; i < inputs; i++)
                    {
                        row[i] = random.NextSigned() * scale;
                    }
                    if (keepBias && !setBias && o == BiasDimension)
                    {
                        Array.Clear(row);
                    }
                    if (setBias)
                    {
                        row[BiasDimension] = 1f;
                    }
                    GgufWriter.WriteElements(stream, row, type);
                }
            });

        void AddOutput() =>
            writer.AddTensor("output.weight", [s.Embedding, s.Vocabulary], type, stream =>
            {
                var random = new DeterministicRandom(seed, "output.weight");
                // Normalised hidden states have unit mean square, so this gives logits of std ~2:
                // peaked enough to be repeatable, flat enough to vary with the seed.
                var scale = MathF.Sqrt(12f / s.Embedding);
                var row = new float[s.Embedding];
                for (var token = 0; token < s.Vocabulary; token++)
                {
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = random.NextSigned() * scale;
                    }
                    if (suppress)
                    {
                        var special = vocabulary.Types[token] != TinyVocabulary.Normal;
                        if (special)
                        {
                            Array.Clear(row);
                        }
                        row[BiasDimension] = special ? SuppressedLogitWeight : 0f;
                    }
                    GgufWriter.WriteElements(stream, row, type);
                }
            });
    }

    private static float Scale(int inputs) => 1f / MathF.Sqrt(inputs);

    private static float[] Ones(int count)
    {
        var values = new float[count];
        Array.Fill(values, 1f);
        return values;
    }

    /// <summary>llama.cpp's style: 164K, 66M, 1.5B.</summary>
    internal static string SizeLabel(long parameters)
    {
        var (value, suffix) = parameters switch
        {
            >= 1_000_000_000 => (parameters / 1e9, "B"),
            >= 1_000_000 => (parameters / 1e6, "M"),
            >= 1_000 => (parameters / 1e3, "K"),
            _ => (parameters, ""),
        };
        var format = value < 10 ? "0.#" : "0";
        return value.ToString(format, CultureInfo.InvariantCulture) + suffix;
    }
}
