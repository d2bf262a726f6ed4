using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Applies <c>maxRequestBodySize</c> (default 100 MB) to each request as it arrives, so a reload
/// changes it: a body is refused with 413 at the first data byte over the limit (a Content-Length over
/// it before reading), so a body of exactly the limit passes, chunked or not.
/// </summary>
internal sealed class RequestLimits(RequestDelegate next, GatewaySecurity security)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            var max = security.MaxRequestBodySize;
            if (context.Request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true })
            {
                // Kestrel's HTTP/1.1 chunked reader (Http1ChunkedEncodingMessageBody) counts the framing
                // towards MaxRequestBodySize: each chunk's hex size line with its CRLF, chunk extensions,
                // the CRLF after the data, and the last chunk's CRLF. So under Kestrel's limit a chunked body
                // of exactly the limit got 413 (some 9 bytes over per 64 KiB chunk). Data bytes are counted
                // here instead. Kestrel keeps twice the limit as a backstop on what it reads for one request
                // (framing is parsed and dropped, never held); a legal body reaches it only if sent in
                // chunks of under about 6 bytes.
                limit.MaxRequestBodySize = max > long.MaxValue / 2 ? null : max * 2;
                context.Request.Body = new ChunkedBodyLimit(context.Request.Body, max);
            }
            else
            {
                // With a Content-Length Kestrel counts data bytes only and refuses one over the limit up front.
                limit.MaxRequestBodySize = max;
            }
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
