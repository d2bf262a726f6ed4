namespace ModelSwap.Core.Memory;

/// <summary>
/// Estimates a model's footprint before it starts, from its GGUF shape and its command line. Pure.
/// <list type="bullet">
/// <item>weights: the tensors' bytes (every split part, plus the projector);</item>
/// <item>KV cache: context tokens × Σ over layers n_head_kv × (key_length + value_length) × bytes per
/// element of the cache types; the engine holds <c>--ctx-size</c> per slot (× <c>--parallel</c>), llama-server
/// <c>--ctx-size</c> in total;</item>
/// <item>compute: llama.cpp's graph buffers for one micro-batch of u ≤ 512 tokens: activations
/// (4 n_embd per token) and one u × u block of attention scores per head, 4 bytes each, plus masks and
/// views that grow with the cache (1/25 of it);</item>
/// <item>runtime: the server process itself (the .NET runtime for the engine), measured.</item>
/// </list>
/// The constants were calibrated by measuring the peak resident memory of real servers (see the
/// README's Memory section for the table).
/// </summary>
public static class FootprintEstimator
{
    /// <summary>The engine's process without a model: .NET, ASP.NET Core, LLamaSharp's native library (measured).</summary>
    public const long EngineRuntimeBytes = 78 * ByteSize.MiB;
    /// <summary>llama-server's process without a model (measured).</summary>
    public const long LlamaServerRuntimeBytes = 26 * ByteSize.MiB;

    public const int EngineDefaultContextCap = 4096;
    public const int EngineDefaultParallel = 4;
    public const int DefaultUBatch = 512;
    /// <summary>llama-server's slots when <c>--parallel</c> is not given.</summary>
    public const int LlamaServerDefaultParallel = 4;

    /// <summary>llama.cpp sizes the KV cache in steps of 256 tokens.</summary>
    private const int KvPadding = 256;

    /// <summary>
    /// The footprint of <paramref name="shape"/> run by <paramref name="command"/>. <paramref name="gpuPresent"/>
    /// says whether layers asked for with <c>-ngl</c> can actually go to a GPU.
    /// </summary>
    public static Footprint Estimate(ModelShape shape, ServerCommand command, bool gpuPresent)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(command);
        var (perSequence, sequences) = Context(shape, command);
        var kvTokens = command.Kind == ServerKind.Engine
            ? (long)PadKv(perSequence) * sequences
            : PadKv(perSequence * sequences);
        var kvPerToken = shape.KvBytesPerToken(command.CacheTypeK, command.CacheTypeV);
        var kv = (long)(kvTokens * kvPerToken);
        if (command.Kind == ServerKind.Engine && command.Embeddings)
        {
            kv += (long)(PadKv(perSequence) * kvPerToken); // the engine's second, pooled context for /v1/embeddings
        }
        var ubatch = Math.Min(command.UBatchSize ?? DefaultUBatch, Math.Max(perSequence, 1));
        var compute = ComputeBytes(shape, ubatch) + kv / 25;
        var runtime = command.Kind == ServerKind.Engine ? EngineRuntimeBytes : LlamaServerRuntimeBytes;
        var weights = shape.WeightBytes + shape.ProjectorBytes;
        long gpu = 0;
        if (gpuPresent && command.Kind == ServerKind.LlamaServer && shape.LayerCount > 0)
        {
            // No -ngl: llama.cpp's default offloads every layer that fits; counted as all of them.
            var layers = Math.Min(command.GpuLayers ?? int.MaxValue, shape.LayerCount + 1);
            var fraction = Math.Min(1.0, (double)layers / shape.LayerCount);
            gpu = (long)(fraction * (shape.WeightBytes + kv)) + (layers > 0 ? compute + shape.ProjectorBytes : 0);
        }
        return new Footprint(weights, kv, compute, runtime, gpu) { ContextTokens = kvTokens };
    }

    /// <summary>Tokens per sequence and sequences, with each server's defaults filled in.</summary>
    public static (int PerSequence, int Sequences) Context(ModelShape shape, ServerCommand command)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(command);
        var trained = shape.TrainedContext > 0 ? (int)Math.Min(shape.TrainedContext, int.MaxValue) : EngineDefaultContextCap;
        if (command.Kind == ServerKind.Engine)
        {
            var ctx = command.ContextSize ?? Math.Clamp(trained, 16, EngineDefaultContextCap);
            return (ctx, Math.Max(1, command.Parallel ?? EngineDefaultParallel));
        }
        // llama-server: --ctx-size 0 (or none) takes the trained context; the slots share it.
        var total = command.ContextSize is > 0 and var c ? c : trained;
        var slots = Math.Max(1, command.Parallel is > 0 and var p ? p : LlamaServerDefaultParallel);
        return (Math.Max(1, total / slots), slots);
    }

    /// <summary>llama.cpp's compute buffers touched by one micro-batch of <paramref name="ubatch"/> tokens (f32 activations and attention scores).</summary>
    public static long ComputeBytes(ModelShape shape, int ubatch)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return 4L * ubatch * (4L * shape.EmbeddingLength + (long)shape.HeadCount * ubatch);
    }

    private static int PadKv(int tokens) => (tokens + KvPadding - 1) / KvPadding * KvPadding;
}
