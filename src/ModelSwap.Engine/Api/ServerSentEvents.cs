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

    public static async Task WriteAsync(HttpContext context, byte[] json)
    {
        var body = context.Response.Body;
        var token = context.RequestAborted;
        await body.WriteAsync("data: "u8.ToArray(), token).ConfigureAwait(false);
        await body.WriteAsync(json, token).ConfigureAwait(false);
        await body.WriteAsync("\n\n"u8.ToArray(), token).ConfigureAwait(false);
        await body.FlushAsync(token).ConfigureAwait(false);
    }

    /// <summary>A named event (`event: name` then `data: {json}`), as the Responses and Anthropic streams send them.</summary>
    public static async Task WriteEventAsync(HttpContext context, string name, byte[] json)
    {
        var body = context.Response.Body;
        var token = context.RequestAborted;
        await body.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"event: {name}\ndata: "), token).ConfigureAwait(false);
        await body.WriteAsync(json, token).ConfigureAwait(false);
        await body.WriteAsync("\n\n"u8.ToArray(), token).ConfigureAwait(false);
        await body.FlushAsync(token).ConfigureAwait(false);
    }

    public static async Task WriteDoneAsync(HttpContext context)
    {
        await context.Response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
