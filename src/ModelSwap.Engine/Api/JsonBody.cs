using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ModelSwap.Engine.Api;

/// <summary>Reads a request body as one JSON object, with a precise error when it is not.</summary>
internal static class JsonBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    public static async Task<JsonDocument> ReadObjectAsync(HttpRequest request)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, Options, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : "";
            throw ApiException.BadRequest($"The request body is not valid JSON{where}: {FirstSentence(ex.Message)}");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw ApiException.BadRequest($"The request body must be a JSON object, not {JsonFields.Describe(kind)}.");
        }
        return document;
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends its own zero-based position; the caller already gave a one-based one.
        foreach (var marker in new[] { " LineNumber:", " Path:" })
        {
            var end = message.IndexOf(marker, StringComparison.Ordinal);
            if (end > 0)
                message = message[..end];
        }
        return message;
    }
}
