using Microsoft.AspNetCore.Http;
using ModelSwap.Engine.Hosting;

namespace ModelSwap.Engine.Api;

/// <summary>
/// `POST /v1/rerank` (also /rerank, /v1/reranking, /reranking, as llama-server): served when the
/// engine runs with --reranking. The answer has llama-server's shape: results sorted by score,
/// best first, cut to top_n, with the request's model and the tokens scored as usage; or, for a
/// TEI-style request (<c>texts</c>), the bare array of <c>{index, score[, text]}</c>.
/// </summary>
internal static class RerankEndpoints
{
    public static async Task RerankAsync(HttpContext context, EngineState state, ReadyModel ready)
    {
        var reranker = ready.Reranker ?? throw new ApiException(
            StatusCodes.Status501NotImplemented,
            "not_supported_error",
            "This engine does not rerank; start it with --reranking (with a reranker model).");

        using var body = await JsonBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        var request = RerankRequest.Parse(body.RootElement);
        var pairs = reranker.Prepare(request.Query, request.Documents, request.DocumentsField);
        var scores = await reranker.ScoreAsync(pairs, context.RequestAborted).ConfigureAwait(false);
        var tokens = pairs.Sum(p => p.Length);
        // Best first; equal scores keep the documents' order.
        var ranked = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).Take(request.TopN).ToList();
        var scoreName = request.Tei ? "score" : "relevance_score";

        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            if (!request.Tei)
            {
                writer.WriteStartObject();
                writer.WriteString("model", request.Model ?? ready.Model.ModelId);
                writer.WriteString("object", "list");
                writer.WriteStartObject("usage");
                writer.WriteNumber("prompt_tokens", tokens);
                writer.WriteNumber("total_tokens", tokens);
                writer.WriteEndObject();
                writer.WritePropertyName("results");
            }
            writer.WriteStartArray();
            foreach (var index in ranked)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", index);
                writer.WriteNumber(scoreName, scores[index]);
                if (request.ReturnText)
                    writer.WriteString("text", request.Documents[index]);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (!request.Tei)
                writer.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
