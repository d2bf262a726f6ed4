namespace ModelSwap.Gateway.Translation;

/// <summary>An Ollama request that cannot be translated; the message names the field. Answered with 400.</summary>
internal sealed class OllamaRequestException(string message) : Exception(message);
