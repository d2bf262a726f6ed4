using System.Diagnostics;
using System.Net;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// The one HTTP client used to reach model servers: pooled connections, no proxy, no redirects,
/// no decompression (bodies pass through untouched), no cookies.
/// </summary>
public sealed class ForwardingClient : IDisposable
{
    public ForwardingClient()
    {
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        });
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
