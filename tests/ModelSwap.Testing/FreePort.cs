using System.Net;
using System.Net.Sockets;

namespace ModelSwap.Testing;

/// <summary>A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).</summary>
public static class FreePort
{
    public static int Get()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
