using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// CORS for browser apps: origins from <c>corsOrigins</c> and <c>MODELSWAP_ORIGINS</c> (patterns with
/// <c>*</c>, as Ollama's OLLAMA_ORIGINS) plus, always, loopback pages on any port and desktop app
/// schemes (app://, file://, tauri://, vscode-webview://). An allowed origin is echoed back, never
/// <c>*</c>, since credentials are allowed. Read per request, so a reload applies at once.
/// </summary>
internal sealed class CorsPolicies(GatewaySecurity security) : ICorsPolicyProvider
{
    public static readonly IReadOnlyList<string> DefaultOrigins =
    [
        "http://localhost", "http://localhost:*", "https://localhost", "https://localhost:*",
        "http://127.0.0.1", "http://127.0.0.1:*", "https://127.0.0.1", "https://127.0.0.1:*",
        "http://[::1]", "http://[::1]:*", "https://[::1]", "https://[::1]:*",
        "app://*", "file://*", "tauri://*", "vscode-webview://*",
    ];

    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        var configured = security.Origins;
        var policy = new CorsPolicyBuilder()
            .SetIsOriginAllowed(origin => IsAllowed(origin, configured))
            .AllowAnyHeader()
            .AllowAnyMethod()
            .AllowCredentials()
            .WithExposedHeaders("Retry-After", "WWW-Authenticate", "X-Logs-Next")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
            .Build();
        return Task.FromResult<CorsPolicy?>(policy);
    }

    public static bool IsAllowed(string origin, IEnumerable<string> configured) =>
        DefaultOrigins.Concat(configured).Any(pattern => Matches(pattern.TrimEnd('/'), origin));

    /// <summary>Exact (case-insensitive), or with <c>*</c> standing for any run of characters but '/'.</summary>
    internal static bool Matches(string pattern, string origin)
    {
        if (pattern == "*")
        {
            return true;
        }
        var p = 0;
        var o = 0;
        int star = -1, mark = 0;
        while (o < origin.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = o;
            }
            else if (p < pattern.Length && char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(origin[o]))
            {
                p++;
                o++;
            }
            else if (star >= 0 && origin[mark] != '/')
            {
                p = star + 1;
                o = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }
}
