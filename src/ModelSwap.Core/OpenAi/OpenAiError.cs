using System.Text.Json.Serialization;

namespace ModelSwap.Core.OpenAi;

/// <summary>The body of the OpenAI error envelope.</summary>
public sealed record OpenAiError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("code")] string? Code);
