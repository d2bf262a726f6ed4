using System.Text.Json;
using ModelSwap.Engine.Inference;

namespace ModelSwap.Engine.Api;

/// <summary>
/// llama-server's native completion JSON, which its /infill answers with: <c>content</c>, <c>stop</c>,
/// and on the last object <c>stop_type</c> ("eos", "limit"), token counts, the prompt as text and timings.
/// </summary>
internal sealed class InfillFormat(string model, int promptTokens, string promptText)
{
    public byte[] Piece(string text) => JsonResponses.Serialize(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteString("content", text);
        writer.WriteStartArray("tokens");
        writer.WriteEndArray();
        writer.WriteBoolean("stop", false);
        writer.WriteNumber("tokens_evaluated", promptTokens);
        writer.WriteEndObject();
    });

    public byte[] Final(string text, GenerationResult result) => JsonResponses.Serialize(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteString("content", text);
        writer.WriteStartArray("tokens");
        writer.WriteEndArray();
        writer.WriteBoolean("stop", true);
        writer.WriteString("model", model);
        writer.WriteNumber("tokens_predicted", result.CompletionTokens);
        writer.WriteNumber("tokens_evaluated", result.PromptTokens);
        writer.WriteString("prompt", promptText);
        writer.WriteBoolean("truncated", false);
        // The loop does not say whether the end token or a stop string ended it; both are "stop" to clients.
        writer.WriteString("stop_type", result.FinishReason == FinishReason.Length ? "limit" : "eos");
        writer.WriteString("stopping_word", "");
        writer.WriteNumber("tokens_cached", 0);
        CompletionFormat.WriteTimings(writer, result); // the same timings block llama-server sends on every route
        writer.WriteEndObject();
    });
}
