using System.Text.Json.Serialization;

namespace ModelSwap.Gateway.Api;

/// <summary>GET /v1/models, OpenAI's shape.</summary>
internal sealed record OpenAiModelList(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("data")] IReadOnlyList<OpenAiModelEntry> Data);
