using System.Text.Json;
using ModelSwap.Engine.Templates;

namespace ModelSwap.Engine.Api;

/// <summary>
/// Anthropic's Messages request as chat template messages: `system` (a string or text blocks) first,
/// then user/assistant turns whose content is a string or blocks (text, tool_use, tool_result).
/// </summary>
internal static class MessagesInput
{
    public static List<object?> Parse(JsonElement body)
    {
        var messages = new List<object?>();
        if (JsonFields.TryGet(body, "system", out var system))
            messages.Add(ResponsesInput.Message("system", Text(system, "system")));
        if (!JsonFields.TryGet(body, "messages", out var turns) || turns.ValueKind != JsonValueKind.Array || turns.GetArrayLength() == 0)
            throw ApiException.BadRequest("'messages' must be a non-empty array.", "messages");

        var index = 0;
        foreach (var turn in turns.EnumerateArray())
        {
            var where = $"messages[{index++}]";
            var role = turn.ValueKind == JsonValueKind.Object ? JsonFields.String(turn, "role") : null;
            if (role is not ("user" or "assistant"))
                throw ApiException.BadRequest($"'{where}.role' must be 'user' or 'assistant'.", "messages");
            if (!turn.TryGetProperty("content", out var content))
                throw ApiException.BadRequest($"'{where}.content' is required.", "messages");
            if (content.ValueKind == JsonValueKind.String)
            {
                messages.Add(ResponsesInput.Message(role, content.GetString()!));
                continue;
            }
            if (content.ValueKind != JsonValueKind.Array)
                throw ApiException.BadRequest($"'{where}.content' must be a string or an array of blocks.", "messages");

            var text = new ContentText();
            var calls = new List<object?>();
            var images = new List<PromptImage>();
            var blockIndex = 0;
            foreach (var block in content.EnumerateArray())
            {
                var blockWhere = $"{where}.content[{blockIndex++}]";
                switch (block.ValueKind == JsonValueKind.Object ? JsonFields.String(block, "type") : null)
                {
                    case "text":
                        text.AddText(JsonFields.String(block, "text"));
                        break;
                    case "tool_use":
                        calls.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
                        {
                            ["id"] = JsonFields.String(block, "id"),
                            ["type"] = "function",
                            ["function"] = new Dictionary<string, object?>(StringComparer.Ordinal)
                            {
                                ["name"] = JsonFields.String(block, "name"),
                                ["arguments"] = block.TryGetProperty("input", out var input) ? JinjaJson.FromJson(input) : new Dictionary<string, object?>(),
                            },
                        });
                        break;
                    case "tool_result":
                        // Results come in the user turn; templates want each as its own tool message.
                        messages.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
                        {
                            ["role"] = "tool",
                            ["tool_call_id"] = JsonFields.String(block, "tool_use_id") ?? throw ApiException.BadRequest($"'{blockWhere}.tool_use_id' is required.", "messages"),
                            ["content"] = block.TryGetProperty("content", out var result) ? Text(result, blockWhere + ".content") : "",
                        });
                        break;
                    case "image":
                        images.Add(ImageContent.FromAnthropicBlock(block, blockWhere));
                        text.AddImage();
                        break;
                    case "document":
                        throw ApiException.BadRequest($"'{blockWhere}' is a document; the built-in engine reads text and image blocks.", "messages");
                    case "thinking" or "redacted_thinking":
                        break;
                    case var other:
                        throw ApiException.BadRequest($"'{blockWhere}' has type '{other ?? "(none)"}'; expected text, image, tool_use or tool_result.", "messages");
                }
            }
            if (text.Length > 0 || calls.Count > 0)
            {
                var message = ResponsesInput.Message(role, text.ToString());
                message.Images.AddRange(images);
                if (calls.Count > 0)
                    message["tool_calls"] = calls;
                messages.Add(message);
            }
        }
        return messages;
    }

    /// <summary>A string, or text blocks joined by newlines.</summary>
    private static string Text(JsonElement value, string where)
    {
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString()!;
        if (value.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"'{where}' must be a string or an array of text blocks.", "messages");
        return string.Join("\n", value.EnumerateArray()
            .Where(b => b.ValueKind == JsonValueKind.Object && JsonFields.String(b, "type") == "text")
            .Select(b => JsonFields.String(b, "text")));
    }
}
