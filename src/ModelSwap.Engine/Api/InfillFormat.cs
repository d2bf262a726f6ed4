using System.Text.Json;
using ModelSwap.Engine.Inference;

namespace ModelSwap.Engine.Api;

/// <summary>
/// llama-server's native completion JSON, which its /infill answers with: <c>content</c>, <c>stop</c>,
/// and on the last object <c>stop_type</c> ("eos", "limit", "word" with its <c>stopping_word</c>), token counts, the prompt as text and timings.
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
        writer.WriteString("stop_type", StopType(result));
        writer.WriteString("stopping_word", result.StoppingWord ?? "");
        writer.WriteNumber("tokens_cached", 0);
        CompletionFormat.WriteTimings(writer, result); // the same timings block llama-server sends on every route
        writer.WriteEndObject();
    });

    /// <summary>llama-server's names: the token limit, a stop string, else the model's end of generation.</summary>
    internal static string StopType(GenerationResult result) =>
        result.FinishReason == FinishReason.Length ? "limit" : result.StoppingWord is not null ? "word" : "eos";
}
