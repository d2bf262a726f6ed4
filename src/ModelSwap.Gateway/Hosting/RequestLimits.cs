using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Applies <c>maxRequestBodySize</c> (default 100 MB) to each request as it arrives, so a reload
/// changes it: Kestrel counts the bytes while they are read, chunked or not, and refuses the body
/// with 413 at the first byte over the limit (a Content-Length over it is refused before reading).
/// </summary>
internal sealed class RequestLimits(RequestDelegate next, GatewaySecurity security)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = security.MaxRequestBodySize;
        }
        return next(context);
    }

    /// <summary>The envelope code for a status Kestrel gives a bad request.</summary>
    public static string CodeFor(int status) => status switch
    {
        413 => "request_too_large",
        408 => "request_timeout",
        431 => "headers_too_large",
        _ => "invalid_request",
    };
}
