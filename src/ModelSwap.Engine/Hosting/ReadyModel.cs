using ModelSwap.Engine.Api;
using ModelSwap.Engine.Embeddings;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Model;
using ModelSwap.Engine.Reranking;

namespace ModelSwap.Engine.Hosting;

/// <summary>A loaded model together with the loop that generates with it and, with --embeddings, its embedder.</summary>
internal sealed record ReadyModel(LoadedModel Model, InferenceLoop Loop, EmbeddingService? Embeddings)
{
    /// <summary>Conversations of earlier Responses API calls, for previous_response_id (this process's memory only).</summary>
    public ResponseStore Responses { get; } = new();

    /// <summary>With --reranking: scores query/document pairs for /v1/rerank.</summary>
    public RerankService? Reranker => Model.Reranker;
}
