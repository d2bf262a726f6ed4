using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ModelSwap.Engine.Api;

/// <summary>Writes JSON bodies with Utf8JsonWriter: exact control over which fields are null and no reflection at start-up.</summary>
internal static class JsonResponses
{
    /// <summary>Text stays readable UTF-8 (as OpenAI and llama-server send it) instead of \u escapes.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            write(writer);
        return buffer.WrittenSpan.ToArray();
    }

    public static Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write) => WriteBytesAsync(context, Serialize(write), status);

    public static async Task WriteBytesAsync(HttpContext context, byte[] body, int status = StatusCodes.Status200OK)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
