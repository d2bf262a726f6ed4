using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace ModelSwap.Gateway.Routing;

/// <summary>Forwards to a fixed path (the /upstream/{model} prefix stripped), keeping the query.</summary>
internal sealed class PathTransformer(string path) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await Default.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, new PathString(path), httpContext.Request.QueryString);
    }
}
