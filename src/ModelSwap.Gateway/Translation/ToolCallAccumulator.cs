using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Translation;

/// <summary>
/// OpenAI tool calls, whole or streamed as fragments by index, turned into Ollama's tool calls whose
/// arguments are a JSON object rather than a string.
/// </summary>
internal sealed class ToolCallAccumulator
{
    private readonly SortedDictionary<int, (string? Id, string Name, StringBuilder Arguments)> _calls = [];

    public bool Any => _calls.Count > 0;

    public void Add(JsonArray calls)
    {
        for (var i = 0; i < calls.Count; i++)
        {
            if (calls[i] is not JsonObject call)
            {
                continue;
            }
            var index = OllamaFields.Number(call["index"]) is { } position ? (int)position : i + _calls.Count;
            if (!_calls.TryGetValue(index, out var entry))
            {
                entry = (null, "", new StringBuilder());
            }
            var id = call["id"] is JsonValue idValue && idValue.GetValueKind() == JsonValueKind.String ? idValue.GetValue<string>() : entry.Id;
            var function = call["function"] as JsonObject;
            var name = function?["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null;
            switch (function?["arguments"])
            {
                case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                    entry.Arguments.Append(text.GetValue<string>());
                    break;
                case JsonObject whole:
                    entry.Arguments.Append(whole.ToJsonString());
                    break;
            }
            _calls[index] = (id, string.IsNullOrEmpty(name) ? entry.Name : name, entry.Arguments);
        }
    }

    public JsonArray ToOllama()
    {
        var result = new JsonArray();
        foreach (var (index, call) in _calls)
        {
            var function = new JsonObject
            {
                ["index"] = index,
                ["name"] = call.Name,
                ["arguments"] = ParseArguments(call.Arguments.ToString()),
            };
            var entry = new JsonObject();
            if (call.Id is not null)
            {
                entry["id"] = call.Id;
            }
            entry["function"] = function;
            result.Add(entry);
        }
        return result;
    }

    /// <summary>Arguments that are not a JSON object (a model's malformed output) are kept as text under "_raw".</summary>
    private static JsonObject ParseArguments(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        try
        {
            if (JsonNode.Parse(text) is JsonObject parsed)
            {
                return parsed;
            }
        }
        catch (JsonException)
        {
        }
        return new JsonObject { ["_raw"] = text };
    }
}
