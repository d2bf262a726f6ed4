using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Translation;

/// <summary>Typed reads of Ollama request fields, each failing with a message naming the field.</summary>
internal static class OllamaFields
{
    public static JsonObject ParseBody(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            throw new OllamaRequestException("the request body is empty; send a JSON object");
        }
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new OllamaRequestException("the request body must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new OllamaRequestException($"the request body is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>"model" (or the older "name").</summary>
    public static string Model(JsonObject request)
    {
        var name = OptionalString(request, "model") ?? OptionalString(request, "name");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new OllamaRequestException("model is required");
        }
        return name.Trim();
    }

    public static string? OptionalString(JsonObject request, string field) => request[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new OllamaRequestException($"{field} must be a string"),
    };

    public static bool OptionalBool(JsonObject request, string field, bool fallback) => request[field] switch
    {
        null => fallback,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new OllamaRequestException($"{field} must be true or false"),
    };

    /// <summary>A JSON number as a double, whether parsed from text or built from a .NET integer.</summary>
    public static double? Number(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }
        if (value.TryGetValue<double>(out var d))
        {
            return d;
        }
        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }
        return value.TryGetValue<int>(out var i) ? i : double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static IReadOnlyList<string> Strings(JsonNode? node, string field) => node switch
    {
        null => [],
        JsonArray array => [.. array.Select(item => item is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new OllamaRequestException($"{field} must be an array of strings"))],
        _ => throw new OllamaRequestException($"{field} must be an array of strings"),
    };
}
