using System.Net.Http;
using System.Text.Json;

namespace ModelSwap.Cli.Service;

/// <summary>The one line a verb's unforeseen failure prints; the stack trace only with MODELSWAP_DEBUG=1.</summary>
internal static class UnexpectedError
{
    public static string Describe(Exception exception)
    {
        var reason = exception switch
        {
            HttpRequestException http => $"the service could not be reached or answered with an error: {http.Message}",
            JsonException json => $"the service answered something that is not ModelSwap's JSON (is another program on that URL?): {json.Message}",
            IOException or UnauthorizedAccessException => exception.Message,
            _ => $"{exception.GetType().Name}: {exception.Message}",
        };
        var debug = Environment.GetEnvironmentVariable("MODELSWAP_DEBUG") is "1" or "true";
        return debug ? $"error: {reason}\n{exception}" : $"error: {reason}";
    }
}
