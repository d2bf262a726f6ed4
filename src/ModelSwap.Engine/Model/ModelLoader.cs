using LLama;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using Microsoft.Extensions.Logging;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Reranking;

namespace ModelSwap.Engine.Model;

/// <summary>Loads a GGUF file into a <see cref="LoadedModel"/>, turning every failure into a <see cref="ModelLoadException"/> with a reason.</summary>
internal static class ModelLoader
{
    public static async Task<LoadedModel> LoadAsync(EngineOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(options.ModelPath);
        if (!File.Exists(path))
            throw new ModelLoadException($"model file not found: {path}");

        var started = time.GetTimestamp();
        NativeLogRouter.ClearErrors();
        var modelParams = new ModelParams(path)
        {
            GpuLayerCount = 0,
            // Memory-mapped, as llama-server loads (llama.cpp's "auto"); LLamaSharp's default reads the
            // weights into anonymous memory instead, which cost ~1.3x the CPU per token here, in the same
            // ggml_vec_dot_f16 (memory bound at batch 1), and keeps a second copy beside the page cache.
            LoadMode = LLamaLoadMode.MemoryMap,
            Threads = options.Threads,
            BatchThreads = options.Threads,
            // llama-server's logical batch: a long prompt goes in 2048-token decodes (512-token
            // micro-batches inside llama.cpp either way).
            BatchSize = 2048,
            SeqMax = (uint)options.Parallel,
            // One slot per request, each with its own share of the cache: a request never runs out of
            // room because of its neighbours, and the per-request limit is one fixed number.
            KVUnified = false,
        };

        LLamaWeights weights;
        try
        {
            weights = await LLamaWeights.LoadFromFileAsync(modelParams, cancellationToken).ConfigureAwait(false);
        }
        catch (LoadWeightsFailedException ex)
        {
            throw new ModelLoadException(NativeLogRouter.Errors ?? "llama.cpp could not read it (is it a complete GGUF file?)", ex);
        }

        try
        {
            var perRequest = options.ContextSize ?? Math.Clamp(weights.ContextSize, 16, EngineOptions.DefaultMaxContextSize);
            var contextParams = modelParams with { ContextSize = checked((uint)(perRequest * options.Parallel)) };
            var context = weights.CreateContext(contextParams, logger);
            // llama.cpp rounds the cache up (to 256-token steps); the limit stays what was asked for,
            // unless the cache came out smaller.
            var actualPerRequest = Math.Min(perRequest, (int)(context.ContextSize / (uint)options.Parallel));

            LLamaContext? embedder = null;
            if (options.Embeddings)
            {
                var arch = weights.Metadata.GetValueOrDefault("general.architecture", "llama");
                var modelPools = weights.Metadata.ContainsKey($"{arch}.pooling_type");
                var embedParams = modelParams with
                {
                    ContextSize = (uint)actualPerRequest,
                    BatchSize = (uint)actualPerRequest,
                    UBatchSize = (uint)actualPerRequest,
                    SeqMax = 1,
                    Embeddings = true,
                    // Generative models declare no pooling; mean pooling gives one vector per input, as OpenAI does.
                    PoolingType = modelPools ? LLamaPoolingType.Unspecified : LLamaPoolingType.Mean,
                };
                // Encoder-decoder models (T5) have no pooled embedding in llama.cpp; LLamaEmbedder refused them too.
                if (weights.NativeHandle is { HasEncoder: true, HasDecoder: true })
                    throw new NotSupportedException("Computing embeddings in encoder-decoder models is not supported");
                // A context of our own rather than LLamaEmbedder: it takes only text, and token-id inputs must be embedded as sent.
                embedder = weights.CreateContext(embedParams, logger);
            }

            RerankService? reranker = null;
            if (options.Reranking)
            {
                var rankParams = modelParams with
                {
                    // A pair is scored in one batch (rank pooling reads the whole sequence), so batch = context.
                    ContextSize = (uint)actualPerRequest,
                    BatchSize = (uint)actualPerRequest,
                    UBatchSize = (uint)actualPerRequest,
                    SeqMax = 1,
                    Embeddings = true,
                    PoolingType = LLamaPoolingType.Rank,
                };
                reranker = new RerankService(weights.CreateContext(rankParams, logger), RerankPrompt.For(weights), actualPerRequest);
            }

            var projector = options.ProjectorPath is { } projectorPath ? LoadProjector(projectorPath, weights, options.Threads) : null;

            var formatter = ChatPromptFormatter.For(weights, time);
            if (formatter.FallbackReason is { } reason)
                EngineLog.ChatTemplateFallback(logger, reason);

            return new LoadedModel
            {
                ModelId = options.ModelId,
                Weights = weights,
                Context = context,
                SequenceIds = new Inference.SequenceIds(options.Parallel),
                ContextParams = contextParams,
                EmbeddingContext = embedder,
                Projector = projector,
                Reranker = reranker,
                ChatFormatter = formatter,
                ContextPerRequest = actualPerRequest,
                Parallel = options.Parallel,
                LoadTime = time.GetElapsedTime(started),
            };
        }
        catch (ModelLoadException)
        {
            weights.Dispose();
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            weights.Dispose();
            throw new ModelLoadException($"could not create a context: {NativeLogRouter.Errors ?? ex.Message}", ex);
        }
    }

    /// <summary>The projector must fit the model (its output width is the model's embedding width); llama.cpp says why when it does not.</summary>
    private static MtmdWeights LoadProjector(string path, LLamaWeights weights, int threads)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new ModelLoadException($"projector (--mmproj) not found: {full}");
        NativeLogRouter.ClearErrors();
        var parameters = MtmdContextParams.Default();
        parameters.UseGpu = false;
        parameters.NThreads = threads;
        try
        {
            var projector = MtmdWeights.LoadFromFile(full, weights, parameters);
            if (!projector.SupportsVision)
            {
                projector.Dispose();
                throw new ModelLoadException($"projector {full} has no vision encoder; the engine reads images only");
            }
            return projector;
        }
        catch (Exception ex) when (ex is not ModelLoadException)
        {
            throw new ModelLoadException($"could not load the projector {full}: {NativeLogRouter.Errors ?? ex.Message}", ex);
        }
    }
}
