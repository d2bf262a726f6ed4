using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Translation;

/// <summary>
/// Reads an upstream answer (stream chunks or one whole response, in OpenAI's chat or completion
/// shape or llama-server's native /infill shape) and keeps what Ollama's reply needs: the text, the
/// thinking, tool calls, why it stopped, and the token counts and timings.
/// </summary>
internal sealed class GenerationTally(UpstreamKind kind)
{
    private readonly StringBuilder _content = new();
    private readonly StringBuilder _thinking = new();

    public ToolCallAccumulator ToolCalls { get; } = new();
    public string? FinishReason { get; private set; }
    public long? PromptTokens { get; private set; }
    public long? CompletionTokens { get; private set; }
    public double? PromptMilliseconds { get; private set; }
    public double? PredictedMilliseconds { get; private set; }
    public string Content => _content.ToString();
    public string Thinking => _thinking.ToString();

    /// <summary>Takes one chunk (or a whole response); returns the text and thinking it added.</summary>
    public (string Content, string Thinking) Add(JsonObject chunk)
    {
        ReadUsage(chunk);
        string content = "", thinking = "";
        if (kind == UpstreamKind.Infill)
        {
            content = Text(chunk["content"]);
            if (chunk["stop"] is JsonValue stop && stop.GetValueKind() == JsonValueKind.True)
            {
                FinishReason = Text(chunk["stop_type"]) == "limit" ? "length" : "stop";
            }
        }
        else if (chunk["choices"] is JsonArray { Count: > 0 } choices && choices[0] is JsonObject choice)
        {
            if (kind == UpstreamKind.Completion)
            {
                content = Text(choice["text"]);
            }
            else if ((choice["delta"] ?? choice["message"]) is JsonObject message)
            {
                content = Text(message["content"]);
                thinking = Text(message["reasoning_content"]) + Text(message["reasoning"]);
                if (message["tool_calls"] is JsonArray calls)
                {
                    ToolCalls.Add(calls);
                }
            }
            if (choice["finish_reason"] is JsonValue reason && reason.GetValueKind() == JsonValueKind.String)
            {
                FinishReason = reason.GetValue<string>();
            }
        }
        _content.Append(content);
        _thinking.Append(thinking);
        return (content, thinking);
    }

    /// <summary>Ollama's done_reason: "stop" or "length" (a tool call is a stop, as in Ollama).</summary>
    public string DoneReason => FinishReason switch
    {
        "length" => "length",
        _ => "stop",
    };

    private void ReadUsage(JsonObject chunk)
    {
        if (chunk["usage"] is JsonObject usage)
        {
            PromptTokens = Number(usage["prompt_tokens"]) ?? PromptTokens;
            CompletionTokens = Number(usage["completion_tokens"]) ?? CompletionTokens;
        }
        if (chunk["timings"] is JsonObject timings)
        {
            PromptTokens ??= Number(timings["prompt_n"]);
            CompletionTokens ??= Number(timings["predicted_n"]);
            PromptMilliseconds = Double(timings["prompt_ms"]) ?? PromptMilliseconds;
            PredictedMilliseconds = Double(timings["predicted_ms"]) ?? PredictedMilliseconds;
        }
        if (kind == UpstreamKind.Infill)
        {
            PromptTokens = Number(chunk["tokens_evaluated"]) ?? PromptTokens;
            CompletionTokens = Number(chunk["tokens_predicted"]) ?? CompletionTokens;
        }
    }

    private static string Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";

    private static long? Number(JsonNode? node) => OllamaFields.Number(node) is { } number ? (long)number : null;

    private static double? Double(JsonNode? node) => OllamaFields.Number(node);
}
