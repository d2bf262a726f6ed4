using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Translation;

/// <summary>An Ollama generation request as the OpenAI request to send upstream.</summary>
/// <param name="Model">The model name the client gave.</param>
/// <param name="Body">The upstream request body (its "model" is the client's name; the gateway rewrites it).</param>
/// <param name="Stream">Whether the client wants NDJSON lines (Ollama's default) or one object.</param>
/// <param name="KeepAlive">keep_alive, when given.</param>
/// <param name="Empty">No prompt and no messages: Ollama's "load the model" (or, with keep_alive 0, "unload").</param>
internal sealed record TranslatedRequest(
    string Model,
    UpstreamKind Kind,
    JsonObject Body,
    bool Stream,
    TimeSpan? KeepAlive,
    bool WantsThinking,
    bool Empty)
{
    public string Path => Kind switch
    {
        UpstreamKind.Chat => "/v1/chat/completions",
        UpstreamKind.Completion => "/v1/completions",
        _ => "/infill",
    };
}
