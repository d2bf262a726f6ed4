using LLama;
using LLama.Native;
using ModelSwap.Engine.Api;

using ModelSwap.Engine.Model;

namespace ModelSwap.Engine.Reranking;

/// <summary>
/// Scores query/document pairs with a rank-pooled context (llama.cpp's <c>LLAMA_POOLING_TYPE_RANK</c>):
/// the model's classification head reads the pooled state of the pair and the score is the head's
/// first output, exactly what llama-server returns as <c>relevance_score</c> (a probability for
/// Qwen3-style rerankers, whose head llama.cpp softmaxes; a raw logit for BERT-style ones). Each
/// pair is decoded alone as sequence 0 of a fresh cache, as a llama-server slot would; the context
/// holds one sequence, so requests take turns.
/// </summary>
internal sealed class RerankService(LLamaContext context, RerankPrompt prompt, int maxTokens) : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>
    /// Tokens one pair may hold: the context asked for, which is also the batch (a rank-pooled pair
    /// must fit one batch); llama.cpp may round the cache itself up.
    /// </summary>
    public int MaxTokens { get; } = Math.Min(maxTokens, (int)context.ContextSize);

    /// <summary>Every pair's tokens, checked against the context first, so an over-long document fails before any work.</summary>
    public LLamaToken[][] Prepare(string query, IReadOnlyList<string> documents, string field)
    {
        var pairs = new LLamaToken[documents.Count][];
        for (var i = 0; i < documents.Count; i++)
        {
            pairs[i] = prompt.Tokens(query, documents[i]);
            if (pairs[i].Length > MaxTokens)
                throw ApiException.BadRequest(
                    $"This model's maximum context length is {MaxTokens} tokens, but the query with '{field}[{i}]' has {pairs[i].Length} tokens.",
                    field,
                    "context_length_exceeded");
        }
        return pairs;
    }

    public async Task<float[]> ScoreAsync(IReadOnlyList<LLamaToken[]> pairs, CancellationToken cancellationToken)
    {
        var scores = new float[pairs.Count];
        var batch = new LLamaBatch();
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var i = 0; i < pairs.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch.Clear();
                for (var position = 0; position < pairs[i].Length; position++)
                    batch.Add(pairs[i][position], position, LLamaSeqId.Zero, true);
                context.NativeHandle.MemoryClear();
                await PooledContextRun.RunAsync(context, batch, "the pair", cancellationToken).ConfigureAwait(false);
                scores[i] = context.NativeHandle.GetEmbeddingsSeq(LLamaSeqId.Zero)[0];
            }
            context.NativeHandle.MemoryClear();
        }
        finally
        {
            _turn.Release();
        }
        return scores;
    }

    /// <summary>Waits for a running scoring to finish first: the model is freed right after.</summary>
    public void Dispose()
    {
        _turn.Wait(TimeSpan.FromSeconds(30));
        _turn.Dispose();
        context.Dispose();
    }
}
