using System.Text.Json;
using ModelSwap.Engine.Templates;

namespace ModelSwap.Engine.Api;

/// <summary>
/// Reads the `messages` of a chat completion request into the values a chat template sees: role,
/// content (text parts joined), and for tool use `tool_calls` (arguments parsed to objects, as
/// Hugging Face templates expect), `tool_call_id` and `name`.
/// </summary>
internal static class ChatRequestParser
{
    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool"];

    public static List<object?> ParseMessages(JsonElement body)
    {
        if (!JsonFields.TryGet(body, "messages", out var messages))
            throw ApiException.BadRequest("'messages' is required.", "messages");
        if (messages.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"'messages' must be an array, not {JsonFields.Describe(messages.ValueKind)}.", "messages");
        if (messages.GetArrayLength() == 0)
            throw ApiException.BadRequest("'messages' must hold at least one message.", "messages");

        var result = new List<object?>(messages.GetArrayLength());
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            result.Add(ParseMessage(message, $"messages[{index}]"));
            index++;
        }
        return result;
    }

    /// <param name="param">The request field errors name: `messages`, or `input` for the Responses API.</param>
    public static TemplateMessage ParseMessage(JsonElement message, string where, string param = "messages")
    {
        if (message.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest($"'{where}' must be an object, not {JsonFields.Describe(message.ValueKind)}.", "messages");
        if (!message.TryGetProperty("role", out var roleElement) || roleElement.ValueKind != JsonValueKind.String)
            throw ApiException.BadRequest($"'{where}.role' must be a string (one of {string.Join(", ", Roles)}).", "messages");
        var role = roleElement.GetString()!;
        if (!Roles.Contains(role))
            throw ApiException.BadRequest($"'{where}.role' is '{role}'; expected one of {string.Join(", ", Roles)}.", "messages");

        var hasToolCalls = message.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array && toolCalls.GetArrayLength() > 0;
        // The "developer" role is OpenAI's new name for "system"; chat templates only know the old one.
        var parsed = new TemplateMessage { ["role"] = role == "developer" ? "system" : role };
        parsed["content"] = ParseContent(message, role, where, parsed.Images, param);
        if (hasToolCalls)
        {
            if (role != "assistant")
                throw ApiException.BadRequest($"'{where}.tool_calls' is only allowed on assistant messages.", "messages");
            parsed["tool_calls"] = ParseToolCalls(toolCalls, where);
        }
        if (role == "tool")
        {
            parsed["tool_call_id"] = message.TryGetProperty("tool_call_id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : throw ApiException.BadRequest($"'{where}.tool_call_id' is required on tool messages.", "messages");
        }
        if (message.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            parsed["name"] = name.GetString();
        if (message.TryGetProperty("reasoning_content", out var reasoning) && reasoning.ValueKind == JsonValueKind.String)
            parsed["reasoning_content"] = reasoning.GetString();
        return parsed;
    }

    private static List<object?> ParseToolCalls(JsonElement toolCalls, string where)
    {
        var calls = new List<object?>();
        var index = 0;
        foreach (var call in toolCalls.EnumerateArray())
        {
            var callWhere = $"{where}.tool_calls[{index++}]";
            if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
                throw ApiException.BadRequest($"'{callWhere}' must be an object with a 'function'.", "messages");
            if (!function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                throw ApiException.BadRequest($"'{callWhere}.function.name' must be a string.", "messages");
            object? arguments = new Dictionary<string, object?>();
            if (function.TryGetProperty("arguments", out var args))
            {
                if (args.ValueKind == JsonValueKind.String)
                {
                    try
                    {
                        using var parsedArguments = JsonDocument.Parse(args.GetString()!);
                        arguments = JinjaJson.FromJson(parsedArguments.RootElement);
                    }
                    catch (JsonException)
                    {
                        arguments = args.GetString();
                    }
                }
                else
                {
                    arguments = JinjaJson.FromJson(args);
                }
            }
            calls.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["id"] = call.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : $"call_{index}",
                ["type"] = "function",
                ["function"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = name.GetString(), ["arguments"] = arguments },
            });
        }
        return calls;
    }

    /// <summary>A string, or parts joined by newlines; an image part becomes the media marker, its image added to <paramref name="images"/>.</summary>
    private static string ParseContent(JsonElement message, string role, string where, List<PromptImage> images, string param)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            // An assistant turn that only called tools has no content; templates concatenate it, so "".
            if (role == "assistant")
                return "";
            throw ApiException.BadRequest($"'{where}.content' is required.", "messages");
        }
        if (content.ValueKind == JsonValueKind.String)
            return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"'{where}.content' must be a string or an array of content parts, not {JsonFields.Describe(content.ValueKind)}.", "messages");

        var text = new ContentText();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partWhere = $"{where}.content[{index}]";
            if (part.ValueKind != JsonValueKind.Object)
                throw ApiException.BadRequest($"'{partWhere}' must be an object, not {JsonFields.Describe(part.ValueKind)}.", "messages");
            var type = part.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String
                ? typeElement.GetString()
                : null;
            index++;
            if (type is "image_url" or "input_image")
            {
                images.Add(ImageContent.FromImageUrlPart(part, partWhere, param));
                text.AddImage();
                continue;
            }
            if (type is not ("text" or "input_text" or "output_text"))
                throw ApiException.BadRequest($"'{partWhere}' has type '{type ?? "(none)"}'; the built-in engine reads text and image parts.", param);
            if (!part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
                throw ApiException.BadRequest($"'{partWhere}.text' must be a string.", param);
            text.AddText(partText.GetString());
        }
        return text.ToString();
    }
}
