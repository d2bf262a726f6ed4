using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ModelSwap.Dashboard.Playground;

/// <summary>
/// Where this gateway listens, as a client on this machine reaches it: the Playground talks to the
/// OpenAI API like any client does, so its requests are queued, swapped and recorded like theirs.
/// </summary>
internal sealed class GatewayAddress(IServer server)
{
    public Uri BaseUrl
    {
        get
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("the gateway is not listening yet");
            var uri = new Uri(address.Replace("://[::]", "://[::1]", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
            return new UriBuilder(uri) { Path = "/" }.Uri;
        }
    }

    public static bool IsLoopback(Uri uri) => uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
}
