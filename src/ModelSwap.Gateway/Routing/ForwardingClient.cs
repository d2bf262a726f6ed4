using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// The one HTTP client used to reach model servers: pooled connections, no proxy, no redirects,
/// no decompression (bodies pass through untouched), no cookies.
/// </summary>
internal sealed class ForwardingClient : IDisposable
{
    private readonly ConcurrentDictionary<UpstreamTimeouts, HttpMessageInvoker> _byTimeouts = new();
    private readonly TimeProvider _time;

    public ForwardingClient(TimeProvider time)
    {
        _time = time;
        Invoker = For(UpstreamTimeouts.Default);
    }

    /// <summary>The client for models with the default timeouts.</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>The client for models with these timeouts (one pool per distinct set, shared by their models).</summary>
    public HttpMessageInvoker For(UpstreamTimeouts timeouts) => _byTimeouts.GetOrAdd(timeouts, Create);

    private HttpMessageInvoker Create(UpstreamTimeouts timeouts)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            // 0 disables a timeout in llama-swap's config: infinite here.
            ConnectTimeout = OrInfinite(timeouts.Connect),
            PooledConnectionIdleTimeout = OrInfinite(timeouts.IdleConnection),
            Expect100ContinueTimeout = timeouts.ExpectContinue,
        };
        if (timeouts.KeepAlive > TimeSpan.Zero)
        {
            handler.ConnectCallback = (context, cancellationToken) => ConnectWithKeepAliveAsync(context, timeouts.KeepAlive, cancellationToken);
        }
        return new HttpMessageInvoker(new UpstreamTimeoutHandler(timeouts, _time, handler));
    }

    private static async ValueTask<Stream> ConnectWithKeepAliveAsync(SocketsHttpConnectionContext context, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            var seconds = (int)Math.Max(1, keepAlive.TotalSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, seconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, seconds);
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static TimeSpan OrInfinite(TimeSpan value) => value == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : value;

    public void Dispose()
    {
        foreach (var invoker in _byTimeouts.Values)
        {
            invoker.Dispose();
        }
    }
}
