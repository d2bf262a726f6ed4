using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ModelSwap.Gateway.Translation;

/// <summary>
/// Ollama's streaming format: one compact JSON object per line, each line flushed as soon as it is
/// written so a client sees every token when the model produces it.
/// </summary>
internal static class NdjsonWriter
{
    public const string ContentType = "application/x-ndjson";

    public static async Task WriteLineAsync(HttpResponse response, JsonNode line, CancellationToken cancellationToken)
    {
        if (!response.HasStarted)
        {
            response.ContentType = ContentType;
            response.Headers.CacheControl = "no-cache";
        }
        var bytes = JsonSerializer.SerializeToUtf8Bytes(line, OllamaJson.Options);
        var buffer = new byte[bytes.Length + 1];
        bytes.CopyTo(buffer, 0);
        buffer[^1] = (byte)'\n';
        await response.Body.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
