namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>Marks Ollama's routes, whose errors (unexpected ones included) use Ollama's <c>{"error":"text"}</c>.</summary>
internal sealed class OllamaEndpointMetadata;
