using System.Text;
using LLama;
using LLama.Native;
using ModelSwap.Engine.Api;
using ModelSwap.Engine.Model;

namespace ModelSwap.Engine.Embeddings;

/// <summary>
/// Turns inputs into unit-length vectors with the model's pooled embedding context. Texts are
/// tokenised first, so texts and token ids take one path: the ids are decoded as sent, as
/// llama-server does. The context holds one sequence, so requests take turns; each vector is
/// L2-normalised as OpenAI's are.
/// </summary>
internal sealed class EmbeddingService(LLamaContext context, LoadedModel model) : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    public int Dimensions => context.EmbeddingSize;

    /// <summary>Every input's tokens, checked against the context first, so an over-long input fails before any work.</summary>
    public LLamaToken[][] Prepare(IReadOnlyList<EmbeddingInput> inputs)
    {
        var tokens = new LLamaToken[inputs.Count][];
        for (var i = 0; i < inputs.Count; i++)
        {
            // special: true as LLamaEmbedder (and llama-server) tokenised, so text vectors did not change.
            tokens[i] = inputs[i].Ids is { } ids
                ? Array.ConvertAll(ids, id => (LLamaToken)id)
                : model.Weights.Tokenize(inputs[i].Text!, add_bos: true, special: true, Encoding.UTF8);
            if (tokens[i].Length > model.ContextPerRequest)
            {
                throw ApiException.BadRequest(
                    $"This model's maximum context length is {model.ContextPerRequest} tokens, but '{inputs[i].Where}' has {tokens[i].Length} tokens.",
                    "input",
                    "context_length_exceeded");
            }
        }
        return tokens;
    }

    public async Task<float[][]> EmbedAsync(IReadOnlyList<LLamaToken[]> inputs, CancellationToken cancellationToken)
    {
        var vectors = new float[inputs.Count][];
        var batch = new LLamaBatch();
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // One sequence from position 0 of an empty cache, every token an output: llama.cpp pools
                // over the outputs, as llama-server's embedding slots do. The batch is the context, so one decode.
                batch.Clear();
                for (var position = 0; position < inputs[i].Length; position++)
                    batch.Add(inputs[i][position], position, LLamaSeqId.Zero, true);
                context.NativeHandle.MemoryClear();
                await PooledContextRun.RunAsync(context, batch, "the input", cancellationToken).ConfigureAwait(false);
                vectors[i] = Normalize(Pooled(inputs[i].Length));
            }
            context.NativeHandle.MemoryClear();
        }
        finally
        {
            _turn.Release();
        }
        return vectors;
    }

    /// <summary>One vector per input: a pooled context gives it; a GGUF that declares no pooling gets the mean of its token vectors.</summary>
    private float[] Pooled(int count)
    {
        if (context.NativeHandle.PoolingType != LLamaPoolingType.None)
            return context.NativeHandle.GetEmbeddingsSeq(LLamaSeqId.Zero).ToArray();
        var pooled = new float[Dimensions];
        for (var position = 0; position < count; position++)
        {
            var vector = context.NativeHandle.GetEmbeddingsIth(position);
            for (var d = 0; d < pooled.Length; d++)
                pooled[d] += vector[d] / count;
        }
        return pooled;
    }

    /// <summary>L2 normalisation; also applied after `dimensions` shortens a vector, as OpenAI's shortened embeddings are unit length.</summary>
    public static float[] Normalize(float[] vector)
    {
        double sum = 0;
        foreach (var value in vector)
            sum += (double)value * value;
        var norm = Math.Sqrt(sum);
        if (norm > 0)
        {
            for (var d = 0; d < vector.Length; d++)
                vector[d] = (float)(vector[d] / norm);
        }
        return vector;
    }

    /// <summary>Waits for a running embedding to finish first: the model is freed right after.</summary>
    public void Dispose()
    {
        _turn.Wait(TimeSpan.FromSeconds(30));
        _turn.Dispose();
    }
}
