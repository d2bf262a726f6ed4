using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Translation;

/// <summary>Ollama's /api/chat request as an OpenAI chat completion request.</summary>
internal static class OllamaChatTranslator
{
    public static TranslatedRequest Translate(JsonObject request)
    {
        var model = OllamaFields.Model(request);
        var stream = OllamaFields.OptionalBool(request, "stream", fallback: true);
        var messages = request["messages"] switch
        {
            null => [],
            JsonArray array => array,
            _ => throw new OllamaRequestException("messages must be an array"),
        };
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = TranslateMessages(messages),
            ["stream"] = stream,
        };
        if (stream)
        {
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        if (request["tools"] is { } tools)
        {
            if (tools is not JsonArray toolList)
            {
                throw new OllamaRequestException("tools must be an array of {\"type\":\"function\",\"function\":{…}}");
            }
            if (toolList.Count > 0)
            {
                body["tools"] = toolList.DeepClone();
            }
        }
        OllamaFormat.Apply(request["format"], body);
        OllamaFormat.ApplyThink(request["think"], body);
        OllamaOptions.Apply(request["options"], body);
        return new TranslatedRequest(model, UpstreamKind.Chat, body, stream,
            OllamaDuration.Parse(request["keep_alive"], "keep_alive"), OllamaFormat.WantsThinking(request["think"]),
            Empty: messages.Count == 0);
    }

    /// <summary>Messages in OpenAI's shape. Tool calls get ids, and tool results the id of the call they answer, in order.</summary>
    public static JsonArray TranslateMessages(JsonArray messages)
    {
        var result = new JsonArray();
        var pendingCalls = new Queue<(string Id, string Name)>();
        var callNumber = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message)
            {
                throw new OllamaRequestException($"messages[{i}] must be an object with role and content");
            }
            var role = OllamaFields.OptionalString(message, "role")
                ?? throw new OllamaRequestException($"messages[{i}].role is required");
            var content = message["content"] switch
            {
                null => "",
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                _ => throw new OllamaRequestException($"messages[{i}].content must be a string"),
            };
            var images = OllamaFields.Strings(message["images"], $"messages[{i}].images");
            var translated = new JsonObject { ["role"] = role, ["content"] = Content(content, images) };
            if (role == "assistant" && message["tool_calls"] is JsonArray calls && calls.Count > 0)
            {
                var openAiCalls = new JsonArray();
                foreach (var call in calls)
                {
                    if (call is not JsonObject callObject || callObject["function"] is not JsonObject function)
                    {
                        throw new OllamaRequestException($"messages[{i}].tool_calls: each needs a function");
                    }
                    var name = OllamaFields.OptionalString(function, "name") ?? "";
                    var id = OllamaFields.OptionalString(callObject, "id") ?? "call_" + (++callNumber).ToString(CultureInfo.InvariantCulture);
                    pendingCalls.Enqueue((id, name));
                    openAiCalls.Add(new JsonObject
                    {
                        ["id"] = id,
                        ["type"] = "function",
                        ["function"] = new JsonObject
                        {
                            ["name"] = name,
                            ["arguments"] = function["arguments"] switch
                            {
                                null => "{}",
                                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                                var other => other.ToJsonString(),
                            },
                        },
                    });
                }
                translated["tool_calls"] = openAiCalls;
            }
            if (role == "tool")
            {
                var id = OllamaFields.OptionalString(message, "tool_call_id")
                    ?? (pendingCalls.TryDequeue(out var call) ? call.Id : "call_" + (++callNumber).ToString(CultureInfo.InvariantCulture));
                translated["tool_call_id"] = id;
            }
            result.Add(translated);
        }
        return result;
    }

    /// <summary>Plain text, or OpenAI content parts when images come with it.</summary>
    public static JsonNode Content(string text, IReadOnlyList<string> images)
    {
        if (images.Count == 0)
        {
            return text;
        }
        var parts = new JsonArray();
        if (text.Length > 0)
        {
            parts.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        }
        foreach (var image in images)
        {
            parts.Add(new JsonObject
            {
                ["type"] = "image_url",
                ["image_url"] = new JsonObject { ["url"] = OllamaImages.ToDataUrl(image) },
            });
        }
        return parts;
    }
}
