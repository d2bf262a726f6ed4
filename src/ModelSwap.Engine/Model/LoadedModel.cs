using LLama;
using LLama.Native;
using ModelSwap.Engine.Reranking;

namespace ModelSwap.Engine.Model;

/// <summary>Everything a loaded model brings: weights, the shared batched context, the optional embedder.</summary>
internal sealed class LoadedModel : IDisposable
{
    public required string ModelId { get; init; }
    public required LLamaWeights Weights { get; init; }
    /// <summary>The shared context all slots decode in; only the inference loop's thread touches it.</summary>
    public required LLamaContext Context { get; set; }

    /// <summary>The context's sequence ids, one per slot; only the inference loop's thread touches them.</summary>
    public required Inference.SequenceIds SequenceIds { get; init; }

    /// <summary>Parameters the context was made with, to make a fresh one after a failed decode.</summary>
    public required LLama.Abstractions.IContextParams ContextParams { get; init; }
    public required ChatPromptFormatter ChatFormatter { get; init; }
    /// <summary>With --embeddings: the pooled context (one sequence) that EmbeddingService decodes in.</summary>
    public LLamaContext? EmbeddingContext { get; init; }

    /// <summary>With --mmproj: the vision projector that turns images into embeddings (mtmd).</summary>
    public MtmdWeights? Projector { get; init; }

    /// <summary>Serialises use of the projector: mtmd's context keeps per-call state (its encode buffer).</summary>
    public Lock ProjectorLock { get; } = new();

    /// <summary>With --reranking: the rank-pooled context that scores query/document pairs.</summary>
    public RerankService? Reranker { get; init; }

    /// <summary>Tokens one request may hold, prompt plus completion.</summary>
    public required int ContextPerRequest { get; init; }

    public required int Parallel { get; init; }
    public required TimeSpan LoadTime { get; init; }

    public SafeLlamaModelHandle.Vocabulary Vocab => Weights.Vocab;

    /// <summary>Tokenizes a prompt that may contain the template's special tokens, with one BOS if the model wants it.</summary>
    public LLamaToken[] TokenizePrompt(string text)
    {
        var tokens = Weights.Tokenize(text, add_bos: true, special: true, System.Text.Encoding.UTF8);
        // Templates that spell out the BOS text (Llama 3's <|begin_of_text|>) would otherwise give two BOS tokens.
        if (tokens.Length >= 2 && Vocab.BOS is { } bos && tokens[0] == bos && tokens[1] == bos)
            return tokens[1..];
        return tokens;
    }

    /// <summary>The text token ids spell (special tokens as their text).</summary>
    public string Detokenize(int[] ids)
    {
        var decoder = new StreamingTokenDecoder(System.Text.Encoding.UTF8, Weights);
        foreach (var id in ids)
            decoder.Add((LLamaToken)id);
        return decoder.Read();
    }

    /// <summary>Drops the context (and every sequence in it) and makes a new one; recovery after llama.cpp fails a batch.</summary>
    public void ResetContext()
    {
        Context.Dispose();
        Context = Weights.CreateContext(ContextParams);
    }

    public void Dispose()
    {
        EmbeddingContext?.Dispose();
        Projector?.Dispose();
        Reranker?.Dispose();
        Context.Dispose();
        Weights.Dispose();
    }
}
