using Microsoft.AspNetCore.Http;
using ModelSwap.Engine.Hosting;

namespace ModelSwap.Engine.Api;

/// <summary>`GET /health` (llama-server's answers) and `GET /v1/models`.</summary>
internal static class ModelEndpoints
{
    public static Task HealthAsync(HttpContext context, EngineState state) => state.Status switch
    {
        EngineStatus.Ready => JsonResponses.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("status", "ok");
            writer.WriteEndObject();
        }),
        EngineStatus.Failed => ErrorResponses.WriteAsync(context, new ApiException(
            StatusCodes.Status500InternalServerError, "server_error", $"Model failed to load: {state.FailureReason}")),
        _ => ErrorResponses.WriteLoadingAsync(context),
    };

    public static Task ModelsAsync(HttpContext context, EngineState state, ReadyModel ready)
    {
        var model = ready.Model;
        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            writer.WriteStartObject();
            writer.WriteString("id", model.ModelId);
            writer.WriteString("object", "model");
            writer.WriteNumber("created", state.Time.GetUtcNow().ToUnixTimeSeconds());
            writer.WriteString("owned_by", "modelswap");
            // llama-server's "meta" block: what clients use to size prompts.
            writer.WriteStartObject("meta");
            writer.WriteNumber("n_ctx", model.ContextPerRequest);
            writer.WriteNumber("n_ctx_train", model.Weights.ContextSize);
            writer.WriteNumber("n_embd", model.Weights.EmbeddingSize);
            writer.WriteNumber("n_vocab", model.Vocab.Count);
            writer.WriteNumber("n_params", model.Weights.ParameterCount);
            writer.WriteNumber("size", model.Weights.SizeInBytes);
            writer.WriteNumber("n_parallel", model.Parallel);
            writer.WriteBoolean("embeddings", ready.Embeddings is not null);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }
}
