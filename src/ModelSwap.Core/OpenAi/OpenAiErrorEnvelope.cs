using System.Text.Json.Serialization;

namespace ModelSwap.Core.OpenAi;

/// <summary>The OpenAI error envelope every client-facing error uses: {"error":{"message","type","code"}}.</summary>
public sealed record OpenAiErrorEnvelope([property: JsonPropertyName("error")] OpenAiError Error)
{
    public static OpenAiErrorEnvelope Create(string message, string type, string? code) =>
        new(new OpenAiError(message, type, code));
}
