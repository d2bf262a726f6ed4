using Microsoft.AspNetCore.Http;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Whether a browser request comes from the gateway's own pages: Sec-Fetch-Site (sent by every
/// current browser) says so, else the Origin matches the Host. A request with neither header is no
/// cross-site browser request (browsers send Origin on every cross-origin change).
/// </summary>
internal static class SameOrigin
{
    public static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none";
        }
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase);
    }
}
