using System.Text.Json;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>The Responses API's JSON: the response object, its output items, and the stream's events.</summary>
internal sealed class ResponsesFormat(string id, long createdAt, string model, JsonElement request)
{
    private int _sequence;

    public string Id { get; } = id;

    public byte[] Response(string status, IReadOnlyList<ResponseOutputItem> output, GenerationResult? result) =>
        JsonResponses.Serialize(w => WriteResponse(w, status, output, result));

    /// <summary>A stream event: its type (the SSE event name too), numbered in order.</summary>
    public (string Type, byte[] Json) Event(string type, Action<Utf8JsonWriter> fields) => (type, JsonResponses.Serialize(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteNumber("sequence_number", _sequence++);
        fields(w);
        w.WriteEndObject();
    }));

    public (string Type, byte[] Json) ResponseEvent(string type, string status, IReadOnlyList<ResponseOutputItem> output, GenerationResult? result) =>
        Event(type, w =>
        {
            w.WritePropertyName("response");
            WriteResponse(w, status, output, result);
        });

    /// <summary>An output item as a stream event's `item`, or in the response's `output`.</summary>
    public static void WriteItem(Utf8JsonWriter w, ResponseOutputItem item, string status)
    {
        if (item.Call is { } call)
            WriteCallItem(w, call, status);
        else
            WriteMessageItem(w, item.Id, item.Text ?? "", status);
    }

    public static void WriteMessageItem(Utf8JsonWriter w, string id, string text, string status)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("type", "message");
        w.WriteString("status", status);
        w.WriteString("role", "assistant");
        w.WriteStartArray("content");
        if (status == "completed")
            WriteTextPart(w, text);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteTextPart(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "output_text");
        w.WriteString("text", text);
        w.WriteStartArray("annotations");
        w.WriteEndArray();
        w.WriteStartArray("logprobs");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteCallItem(Utf8JsonWriter w, ParsedToolCall call, string status)
    {
        w.WriteStartObject();
        w.WriteString("id", ResponseOutputItem.CallItemId(call));
        w.WriteString("type", "function_call");
        w.WriteString("status", status);
        w.WriteString("call_id", call.Id);
        w.WriteString("name", call.Name);
        w.WriteString("arguments", status == "completed" ? call.Arguments : "");
        w.WriteEndObject();
    }

    private void WriteResponse(Utf8JsonWriter w, string status, IReadOnlyList<ResponseOutputItem> output, GenerationResult? result)
    {
        w.WriteStartObject();
        w.WriteString("id", Id);
        w.WriteString("object", "response");
        w.WriteNumber("created_at", createdAt);
        w.WriteString("status", status);
        w.WriteNull("error");
        if (status == "incomplete")
        {
            w.WriteStartObject("incomplete_details");
            w.WriteString("reason", "max_output_tokens");
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("incomplete_details");
        }
        Copy(w, "instructions");
        Copy(w, "max_output_tokens");
        w.WriteString("model", model);
        w.WriteStartArray("output");
        foreach (var item in output)
            WriteItem(w, item, "completed");
        w.WriteEndArray();
        w.WriteBoolean("parallel_tool_calls", JsonFields.Bool(request, "parallel_tool_calls") ?? true);
        Copy(w, "previous_response_id");
        w.WriteStartObject("reasoning");
        w.WriteNull("effort");
        w.WriteNull("summary");
        w.WriteEndObject();
        w.WriteBoolean("store", JsonFields.Bool(request, "store") ?? true);
        Copy(w, "temperature", 1.0);
        if (request.TryGetProperty("text", out var textOptions) && textOptions.ValueKind == JsonValueKind.Object)
        {
            w.WritePropertyName("text");
            textOptions.WriteTo(w);
        }
        else
        {
            w.WriteStartObject("text");
            w.WriteStartObject("format");
            w.WriteString("type", "text");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        if (request.TryGetProperty("tool_choice", out var choice))
        {
            w.WritePropertyName("tool_choice");
            choice.WriteTo(w);
        }
        else
        {
            w.WriteString("tool_choice", "auto");
        }
        if (request.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            w.WritePropertyName("tools");
            tools.WriteTo(w);
        }
        else
        {
            w.WriteStartArray("tools");
            w.WriteEndArray();
        }
        Copy(w, "top_p", 1.0);
        w.WriteString("truncation", "disabled");
        if (result is not null)
        {
            w.WriteStartObject("usage");
            w.WriteNumber("input_tokens", result.PromptTokens);
            w.WriteStartObject("input_tokens_details");
            w.WriteNumber("cached_tokens", 0);
            w.WriteEndObject();
            w.WriteNumber("output_tokens", result.CompletionTokens);
            w.WriteStartObject("output_tokens_details");
            w.WriteNumber("reasoning_tokens", 0);
            w.WriteEndObject();
            w.WriteNumber("total_tokens", result.PromptTokens + result.CompletionTokens);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("usage");
        }
        w.WriteNull("user");
        w.WriteStartObject("metadata");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private void Copy(Utf8JsonWriter w, string name, double? fallback = null)
    {
        if (request.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Undefined)
        {
            w.WritePropertyName(name);
            value.WriteTo(w);
        }
        else if (fallback is { } number)
        {
            w.WriteNumber(name, number);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
