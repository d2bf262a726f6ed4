using Microsoft.AspNetCore.Http;
using ModelSwap.Core.OpenAi;

namespace ModelSwap.Gateway.Routing;

/// <summary>Writes the OpenAI error envelope, never an empty body.</summary>
internal static class OpenAiErrors
{
    private static readonly HashSet<string> KeptHeaders = new(StringComparer.OrdinalIgnoreCase) { "Allow", "WWW-Authenticate", "Vary" };

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
        // Clear drops headers too; those that describe the answer (CORS, Allow, the auth challenge) stay.
        var kept = context.Response.Headers.Where(h => KeptHeaders.Contains(h.Key) || h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)).ToList();
        context.Response.Clear();
        foreach (var (name, value) in kept)
        {
            context.Response.Headers[name] = value;
        }
        context.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await context.Response.WriteAsJsonAsync(OpenAiErrorEnvelope.Create(message, type, code), context.RequestAborted)
            .ConfigureAwait(false);
    }
}
