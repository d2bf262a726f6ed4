using LLama;
using LLama.Native;

namespace ModelSwap.Engine.Inference;

/// <summary>
/// A prompt with images, as the projector (mtmd) tokenized it: text and image chunks in order. All but
/// the last chunk go into the sequence's cache through mtmd's helper (which encodes the images and
/// decodes their embeddings); the last, text, is <see cref="Tail"/> and joins the loop's batch like any
/// prompt, so its logits come out where the loop samples them.
/// One instance serves every choice of an `n &gt; 1` request: evaluation only reads the chunks, each
/// job into its own sequence, so nothing is copied. The chunks are a SafeHandle freed once the last
/// job holding this instance is gone, never while one may still evaluate it.
/// </summary>
internal sealed class PromptMedia
{
    private readonly MtmdWeights _projector;
    private readonly SafeMtmdInputChunks _chunks;
    private readonly Lock _lock;

    public PromptMedia(MtmdWeights projector, SafeMtmdInputChunks chunks, Lock projectorLock, LLamaToken[] tail)
    {
        _projector = projector;
        _chunks = chunks;
        _lock = projectorLock;
        Tail = tail;
        TokenCount = checked((int)chunks.CountTokens());
        PositionCount = checked((int)chunks.CountPositions());
    }

    /// <summary>The last chunk's text tokens.</summary>
    public LLamaToken[] Tail { get; }

    /// <summary>Text and image tokens together (what `usage` counts).</summary>
    public int TokenCount { get; }

    /// <summary>Cache positions the prompt takes (what must fit the context).</summary>
    public int PositionCount { get; }

    /// <summary>Evaluates every chunk but the last into <paramref name="sequence"/>; returns the positions now cached. Runs on the loop's thread.</summary>
    public int EvaluateHead(SafeLLamaContextHandle context, LLamaSeqId sequence, int batchSize)
    {
        var past = 0;
        lock (_lock)
        {
            for (ulong i = 0; i + 1 < _chunks.Size; i++)
            {
                var result = _projector.NativeHandle.EvaluateChunk(_chunks.GetChunkPtr(i), context, ref past, sequence.Value, batchSize, logitsLast: false);
                if (result != 0)
                    throw new InvalidOperationException($"the projector could not evaluate part {i} of the prompt (mtmd error {result})");
            }
        }
        // The loop passed raw chunk pointers to native code: the handle must outlive it.
        GC.KeepAlive(_chunks);
        return past;
    }
}
