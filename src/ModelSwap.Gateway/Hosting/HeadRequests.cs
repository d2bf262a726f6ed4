using Microsoft.AspNetCore.Http;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Every GET route answers HEAD: a HEAD request is routed as GET (Kestrel sends no body for it), and
/// /upstream forwards it as HEAD again (see Routing.UpstreamTransformer).
/// </summary>
internal sealed class HeadRequests(RequestDelegate next)
{
    private static readonly object Key = new();

    public Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Items[Key] = true;
            context.Request.Method = HttpMethods.Get;
        }
        return next(context);
    }

    public static bool WasHead(HttpContext context) => context.Items.ContainsKey(Key);
}
