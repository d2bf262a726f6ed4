using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Translation;

/// <summary>Ollama's <c>format</c> ("json" or a JSON schema) and <c>think</c> as OpenAI request fields.</summary>
internal static class OllamaFormat
{
    public static void Apply(JsonNode? format, JsonObject target)
    {
        switch (format)
        {
            case null:
                return;
            case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                var value = text.GetValue<string>();
                if (value.Length == 0)
                {
                    return;
                }
                if (value != "json")
                {
                    throw new OllamaRequestException($"format: '{value}' is not supported; use \"json\" or a JSON schema object");
                }
                target["response_format"] = new JsonObject { ["type"] = "json_object" };
                return;
            case JsonObject schema:
                target["response_format"] = new JsonObject
                {
                    ["type"] = "json_schema",
                    ["json_schema"] = new JsonObject { ["name"] = "response", ["strict"] = true, ["schema"] = schema.DeepClone() },
                };
                return;
            default:
                throw new OllamaRequestException("format must be \"json\" or a JSON schema object");
        }
    }

    /// <summary>
    /// <c>think</c>: true/false toggles a reasoning model's thinking (llama-server's chat template
    /// switch); "low"/"medium"/"high" (gpt-oss) is a reasoning effort.
    /// </summary>
    public static void ApplyThink(JsonNode? think, JsonObject target)
    {
        switch (think)
        {
            case null:
                return;
            case JsonValue flag when flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                target["chat_template_kwargs"] = new JsonObject { ["enable_thinking"] = flag.GetValue<bool>() };
                return;
            case JsonValue level when level.GetValueKind() == JsonValueKind.String
                && level.GetValue<string>() is "low" or "medium" or "high":
                target["reasoning_effort"] = level.GetValue<string>();
                target["chat_template_kwargs"] = new JsonObject { ["enable_thinking"] = true, ["reasoning_effort"] = level.GetValue<string>() };
                return;
            default:
                throw new OllamaRequestException("think must be true, false, \"low\", \"medium\" or \"high\"");
        }
    }

    /// <summary>False only when the client turned thinking off; thinking text is then not returned.</summary>
    public static bool WantsThinking(JsonNode? think) =>
        think is not JsonValue flag || flag.GetValueKind() != JsonValueKind.False;
}
