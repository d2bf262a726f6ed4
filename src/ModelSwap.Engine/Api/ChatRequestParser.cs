using System.Text;
using System.Text.Json;
using ModelSwap.Engine.Model;

namespace ModelSwap.Engine.Api;

/// <summary>Reads the `messages` of a chat completion request into plain role + text pairs.</summary>
internal static class ChatRequestParser
{
    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool"];

    public static List<ChatMessage> ParseMessages(JsonElement body)
    {
        if (!JsonFields.TryGet(body, "messages", out var messages))
            throw ApiException.BadRequest("'messages' is required.", "messages");
        if (messages.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"'messages' must be an array, not {JsonFields.Describe(messages.ValueKind)}.", "messages");
        if (messages.GetArrayLength() == 0)
            throw ApiException.BadRequest("'messages' must hold at least one message.", "messages");

        var result = new List<ChatMessage>(messages.GetArrayLength());
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var where = $"messages[{index}]";
            if (message.ValueKind != JsonValueKind.Object)
                throw ApiException.BadRequest($"'{where}' must be an object, not {JsonFields.Describe(message.ValueKind)}.", "messages");
            if (!message.TryGetProperty("role", out var roleElement) || roleElement.ValueKind != JsonValueKind.String)
                throw ApiException.BadRequest($"'{where}.role' must be a string (one of {string.Join(", ", Roles)}).", "messages");
            var role = roleElement.GetString()!;
            if (!Roles.Contains(role))
                throw ApiException.BadRequest($"'{where}.role' is '{role}'; expected one of {string.Join(", ", Roles)}.", "messages");

            // The "developer" role is OpenAI's new name for "system"; chat templates only know the old one.
            result.Add(new ChatMessage(role == "developer" ? "system" : role, ParseContent(message, role, where)));
            index++;
        }
        return result;
    }

    private static string ParseContent(JsonElement message, string role, string where)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            // An assistant turn that only called tools has no content.
            if (role == "assistant")
                return "";
            throw ApiException.BadRequest($"'{where}.content' is required.", "messages");
        }
        if (content.ValueKind == JsonValueKind.String)
            return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"'{where}.content' must be a string or an array of content parts, not {JsonFields.Describe(content.ValueKind)}.", "messages");

        var text = new StringBuilder();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partWhere = $"{where}.content[{index}]";
            if (part.ValueKind != JsonValueKind.Object)
                throw ApiException.BadRequest($"'{partWhere}' must be an object, not {JsonFields.Describe(part.ValueKind)}.", "messages");
            var type = part.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String
                ? typeElement.GetString()
                : null;
            if (type != "text")
                throw ApiException.BadRequest($"'{partWhere}' has type '{type ?? "(none)"}'; the built-in engine reads text parts only.", "messages");
            if (!part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
                throw ApiException.BadRequest($"'{partWhere}.text' must be a string.", "messages");
            if (text.Length > 0)
                text.Append('\n');
            text.Append(partText.GetString());
            index++;
        }
        return text.ToString();
    }
}
