using System.Runtime.InteropServices;
using ModelSwap.Engine.Embeddings;
using Microsoft.AspNetCore.Http;
using ModelSwap.Engine.Hosting;

namespace ModelSwap.Engine.Api;

/// <summary>`POST /v1/embeddings`: served when the engine runs with --embeddings.</summary>
internal static class EmbeddingEndpoints
{
    public static async Task EmbeddingsAsync(HttpContext context, EngineState state, ReadyModel ready)
    {
        var embeddings = ready.Embeddings ?? throw new ApiException(
            StatusCodes.Status501NotImplemented,
            "not_supported_error",
            "This engine does not serve embeddings; start it with --embeddings.");

        using var body = await JsonBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        var request = EmbeddingRequest.Parse(body.RootElement, embeddings.Dimensions, ready.Model.Vocab.Count);
        var tokens = embeddings.Prepare(request.Inputs);
        var vectors = await embeddings.EmbedAsync(tokens, context.RequestAborted).ConfigureAwait(false);
        if (request.Dimensions is { } wanted)
            vectors = vectors.Select(v => EmbeddingService.Normalize(v[..wanted])).ToArray();
        var total = tokens.Sum(t => t.Length);

        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            for (var i = 0; i < vectors.Length; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WriteNumber("index", i);
                if (request.Base64)
                {
                    // OpenAI's base64 form: the float32 values' little-endian bytes.
                    writer.WriteBase64String("embedding", MemoryMarshal.AsBytes(vectors[i].AsSpan()));
                }
                else
                {
                    writer.WriteStartArray("embedding");
                    foreach (var value in vectors[i])
                        writer.WriteNumberValue(value);
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteString("model", ready.Model.ModelId);
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", total);
            writer.WriteNumber("total_tokens", total);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
