using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ModelSwap.Engine.Api;

/// <summary>OpenAI's streaming framing: `data: {json}` events, each flushed at once, ending with `data: [DONE]`.</summary>
internal static class ServerSentEvents
{
    public static async Task StartAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        // Proxies such as nginx would otherwise hold tokens back in their buffers.
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// One event as one write: the framing and the JSON go into the response pipe together and are flushed
    /// once, so each token costs one chunk and one socket send (three stream writes made three of each).
    /// </summary>
    public static async Task WriteAsync(HttpContext context, byte[] json)
    {
        var writer = context.Response.BodyWriter;
        writer.Write("data: "u8);
        writer.Write(json);
        writer.Write("\n\n"u8);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A named event (`event: name` then `data: {json}`), as the Responses and Anthropic streams send them.</summary>
    public static async Task WriteEventAsync(HttpContext context, string name, byte[] json)
    {
        var writer = context.Response.BodyWriter;
        writer.Write("event: "u8);
        Encoding.UTF8.GetBytes(name, writer);
        writer.Write("\ndata: "u8);
        writer.Write(json);
        writer.Write("\n\n"u8);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task WriteDoneAsync(HttpContext context)
    {
        var writer = context.Response.BodyWriter;
        writer.Write("data: [DONE]\n\n"u8);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
