using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ModelSwap.Gateway.Translation;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>Reads an Ollama request body (bounded: an image-laden chat is large, but not unbounded).</summary>
internal static class OllamaBodies
{
    private const int MaxBytes = 256 * 1024 * 1024;

    public static async Task<JsonObject> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new OllamaRequestException($"the request body is larger than {MaxBytes / (1024 * 1024)} MiB");
            }
            buffer.Write(chunk, 0, read);
        }
        return OllamaFields.ParseBody(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
