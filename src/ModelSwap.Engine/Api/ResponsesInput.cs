using System.Text.Json;
using ModelSwap.Engine.Templates;

namespace ModelSwap.Engine.Api;

/// <summary>
/// The Responses API's `input` (a string, or items: messages, function_call, function_call_output)
/// as chat template messages; consecutive function calls become one assistant turn.
/// </summary>
internal static class ResponsesInput
{
    public static List<object?> Parse(JsonElement body)
    {
        if (!JsonFields.TryGet(body, "input", out var input))
            throw ApiException.BadRequest("'input' is required.", "input");
        if (input.ValueKind == JsonValueKind.String)
            return [Message("user", input.GetString()!)];
        if (input.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"'input' must be a string or an array of items, not {JsonFields.Describe(input.ValueKind)}.", "input");

        var messages = new List<object?>();
        var index = 0;
        foreach (var item in input.EnumerateArray())
        {
            var where = $"input[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
                throw ApiException.BadRequest($"'{where}' must be an object.", "input");
            var type = JsonFields.String(item, "type") ?? "message";
            switch (type)
            {
                case "message":
                    messages.Add(ChatRequestParser.ParseMessage(item, where, "input"));
                    break;
                case "function_call":
                    var call = new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["id"] = JsonFields.String(item, "call_id") ?? JsonFields.String(item, "id"),
                        ["type"] = "function",
                        ["function"] = new Dictionary<string, object?>(StringComparer.Ordinal)
                        {
                            ["name"] = JsonFields.String(item, "name") ?? throw ApiException.BadRequest($"'{where}.name' is required.", "input"),
                            ["arguments"] = ParseArguments(JsonFields.String(item, "arguments") ?? "{}"),
                        },
                    };
                    if (messages.Count > 0 && messages[^1] is Dictionary<string, object?> last && last["role"] as string == "assistant"
                        && last.GetValueOrDefault("tool_calls") is List<object?> calls)
                    {
                        calls.Add(call);
                    }
                    else
                    {
                        messages.Add(new Dictionary<string, object?>(StringComparer.Ordinal) { ["role"] = "assistant", ["content"] = "", ["tool_calls"] = new List<object?> { call } });
                    }
                    break;
                case "function_call_output":
                    var output = item.TryGetProperty("output", out var o) ? o.ValueKind == JsonValueKind.String ? o.GetString()! : o.GetRawText() : "";
                    messages.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["role"] = "tool",
                        ["tool_call_id"] = JsonFields.String(item, "call_id") ?? throw ApiException.BadRequest($"'{where}.call_id' is required.", "input"),
                        ["content"] = output,
                    });
                    break;
                case "reasoning":
                    break;
                default:
                    throw ApiException.BadRequest($"'{where}' has type '{type}'; the built-in engine takes message, function_call and function_call_output items.", "input");
            }
        }
        if (messages.Count == 0)
            throw ApiException.BadRequest("'input' must hold at least one item.", "input");
        return messages;
    }

    public static TemplateMessage Message(string role, string content) =>
        new() { ["role"] = role, ["content"] = content };

    private static object? ParseArguments(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JinjaJson.FromJson(document.RootElement);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
