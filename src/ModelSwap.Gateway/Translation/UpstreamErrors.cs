using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Translation;

/// <summary>The human message inside an upstream error body (OpenAI's envelope, llama-server's, or plain text).</summary>
internal static class UpstreamErrors
{
    public static string Message(JsonNode? error) => error switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonObject o when o["message"] is JsonValue m && m.GetValueKind() == JsonValueKind.String => m.GetValue<string>(),
        null => "unknown error",
        _ => error.ToJsonString(),
    };

    public static string FromBody(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject root && root["error"] is { } error)
            {
                return Message(error);
            }
        }
        catch (JsonException)
        {
        }
        body = body.Trim();
        return body.Length == 0 ? "the model server returned no details" : body.Length > 2000 ? body[..2000] : body;
    }
}
