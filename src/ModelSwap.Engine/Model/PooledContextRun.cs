using LLama;
using LLama.Exceptions;
using LLama.Native;

namespace ModelSwap.Engine.Model;

/// <summary>One pass of a batch through a pooled context (embeddings, reranking), whichever call the model needs.</summary>
internal static class PooledContextRun
{
    /// <param name="what">What the batch holds, for the error ("the input", "the pair").</param>
    public static async Task RunAsync(LLamaContext context, LLamaBatch batch, string what, CancellationToken cancellationToken)
    {
        // Encoder-only models (T5-style encoders) take llama_encode; everything else, BERT included, llama_decode.
        if (context.NativeHandle.ModelHandle is { HasEncoder: true, HasDecoder: false })
        {
            var encoded = await context.EncodeAsync(batch, cancellationToken).ConfigureAwait(false);
            if (encoded != EncodeResult.Ok)
                throw new RuntimeError($"llama.cpp could not encode {what}: {encoded}");
            return;
        }
        var decoded = await context.DecodeAsync(batch, cancellationToken).ConfigureAwait(false);
        if (decoded != DecodeResult.Ok)
            throw new RuntimeError($"llama.cpp could not decode {what}: {decoded}");
    }
}
