using System.Text;
using LLama;
using ModelSwap.Engine.Api;
using ModelSwap.Engine.Model;

namespace ModelSwap.Engine.Embeddings;

/// <summary>
/// Turns texts into unit-length vectors with the model's pooled embedding context. That context
/// holds one sequence, so requests take turns; each vector is L2-normalised as OpenAI's are.
/// </summary>
internal sealed class EmbeddingService(LLamaEmbedder embedder, LoadedModel model) : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    public int Dimensions => embedder.EmbeddingSize;

    /// <summary>Counts the tokens of every input first, so an over-long input fails before any work.</summary>
    public int[] CountTokens(IReadOnlyList<string> inputs)
    {
        var counts = new int[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            counts[i] = model.Weights.Tokenize(inputs[i], add_bos: true, special: false, Encoding.UTF8).Length;
            if (counts[i] > model.ContextPerRequest)
            {
                var where = inputs.Count == 1 ? "'input'" : $"'input[{i}]'";
                throw ApiException.BadRequest(
                    $"This model's maximum context length is {model.ContextPerRequest} tokens, but {where} has {counts[i]} tokens.",
                    "input",
                    "context_length_exceeded");
            }
        }
        return counts;
    }

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> inputs, CancellationToken cancellationToken)
    {
        var vectors = new float[inputs.Count][];
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                var result = await embedder.GetEmbeddings(inputs[i], cancellationToken).ConfigureAwait(false);
                vectors[i] = Normalize(Pool(result));
            }
        }
        finally
        {
            _turn.Release();
        }
        return vectors;
    }

    /// <summary>One vector per input: a pooled context gives one already; otherwise average the token vectors.</summary>
    private static float[] Pool(IReadOnlyList<float[]> result)
    {
        if (result.Count == 1)
            return result[0];
        var pooled = new float[result[0].Length];
        foreach (var vector in result)
        {
            for (var d = 0; d < pooled.Length; d++)
                pooled[d] += vector[d];
        }
        for (var d = 0; d < pooled.Length; d++)
            pooled[d] /= result.Count;
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
