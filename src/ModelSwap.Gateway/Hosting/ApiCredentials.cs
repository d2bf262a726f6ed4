using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ModelSwap.Gateway.Hosting;

/// <summary>How a client presents a key, and the constant-time comparison against the configured keys.</summary>
internal static class ApiCredentials
{
    public const string SessionCookie = "modelswap_session";

    /// <summary>The key in `Authorization: Bearer KEY`, `x-api-key: KEY` or `Authorization: Basic` (the password; any user name).</summary>
    public static string? FromHeaders(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? decoded : decoded[(colon + 1)..];
            }
            catch (FormatException)
            {
                return "";
            }
        }
        var apiKey = request.Headers["x-api-key"].ToString();
        return apiKey.Length > 0 ? apiKey : null;
    }

    public static string? FromCookie(HttpRequest request) =>
        request.Cookies.TryGetValue(SessionCookie, out var value) && value.Length > 0 ? value : null;

    /// <summary>Compares against every key, always all of them, in time independent of where they differ.</summary>
    public static bool IsValid(string presented, IEnumerable<string> keys)
    {
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var valid = false;
        foreach (var key in keys)
        {
            // Hashing first makes the comparison length-independent too.
            valid |= CryptographicOperations.FixedTimeEquals(presentedHash, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }
        return valid;
    }
}
