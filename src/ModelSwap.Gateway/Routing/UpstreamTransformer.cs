using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// What changes on the way to a model server: the gateway's own credentials never go on (the
/// Authorization and x-api-key headers and the dashboard's session cookie are removed), the model's
/// own key is sent when its command sets one (<c>--api-key</c>), and /upstream requests go to the
/// path after the model name exactly as the client encoded it.
/// </summary>
internal sealed class UpstreamTransformer(string? path, string? upstreamKey) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await Default.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.Headers.Remove("Authorization");
        proxyRequest.Headers.Remove("x-api-key");
        proxyRequest.Headers.Remove("Cookie");
        if (upstreamKey is not null)
        {
            proxyRequest.Headers.TryAddWithoutValidation("Authorization", "Bearer " + upstreamKey);
        }
        if (Hosting.HeadRequests.WasHead(httpContext))
        {
            proxyRequest.Method = HttpMethod.Head;
        }
        if (path is not null)
        {
            // Already percent-encoded as the client sent it (%2F stays %2F).
            proxyRequest.RequestUri = new Uri(destinationPrefix.TrimEnd('/') + path + httpContext.Request.QueryString.ToUriComponent());
        }
    }
}
