using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ModelSwap.Gateway.Translation;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>
/// Ollama's error shape, <c>{"error":"text"}</c>: its clients read that string (OpenAI's envelope shows
/// up in them as "[object Object]"). Once a stream has started, the error is its last line.
/// </summary>
internal static class OllamaErrors
{
    public static IResult Result(int status, string message) =>
        TypedResults.Json(new JsonObject { ["error"] = message }, statusCode: status);

    public static async Task WriteAsync(HttpContext context, int status, string message, TimeSpan? retryAfter = null)
    {
        var error = new JsonObject { ["error"] = message };
        if (context.Response.HasStarted)
        {
            try
            {
                await NdjsonWriter.WriteLineAsync(context.Response, error, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                context.Abort();
            }
            return;
        }
        context.Response.Clear();
        context.Response.StatusCode = status;
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await context.Response.WriteAsJsonAsync(error, context.RequestAborted).ConfigureAwait(false);
    }

    public static string ModelNotFound(string name) => $"model '{name}' not found";
}
