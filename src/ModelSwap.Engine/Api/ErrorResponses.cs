using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ModelSwap.Engine.Api;

/// <summary>Writes OpenAI's error envelope: {"error":{"message","type","param","code"}}.</summary>
internal static class ErrorResponses
{
    public static Task WriteAsync(HttpContext context, ApiException error) =>
        JsonResponses.WriteAsync(context, error.Status, writer => WriteEnvelope(writer, error));

    public static void WriteEnvelope(Utf8JsonWriter writer, ApiException error)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", error.Message);
        writer.WriteString("type", error.Type);
        if (error.Param is null)
            writer.WriteNull("param");
        else
            writer.WriteString("param", error.Param);
        if (error.Code is null)
            writer.WriteNull("code");
        else
            writer.WriteString("code", error.Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>llama-server's exact answer while the model loads; clients and proxies poll for it.</summary>
    public static Task WriteLoadingAsync(HttpContext context) =>
        JsonResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteNumber("code", StatusCodes.Status503ServiceUnavailable);
            writer.WriteString("message", "Loading model");
            writer.WriteString("type", "unavailable_error");
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
}
