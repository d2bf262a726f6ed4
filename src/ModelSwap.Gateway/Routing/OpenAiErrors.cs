using Microsoft.AspNetCore.Http;
using ModelSwap.Core.OpenAi;

namespace ModelSwap.Gateway.Routing;

/// <summary>Writes the OpenAI error envelope, never an empty body.</summary>
internal static class OpenAiErrors
{
    public static IResult Result(int status, string message, string type, string? code) =>
        TypedResults.Json(OpenAiErrorEnvelope.Create(message, type, code), statusCode: status);

    public static async Task WriteAsync(HttpContext context, int status, string message, string type, string? code,
        TimeSpan? retryAfter = null)
    {
        if (context.Response.HasStarted)
        {
            // Headers are gone: the best we can do is end the response so the client sees a broken stream.
            context.Abort();
            return;
        }
        context.Response.Clear();
        context.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await context.Response.WriteAsJsonAsync(OpenAiErrorEnvelope.Create(message, type, code), context.RequestAborted)
            .ConfigureAwait(false);
    }
}
