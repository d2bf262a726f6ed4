using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// The ONE list of routes that answer without an API key when keys are set. Everything else — every
/// route mapped today and every route anyone maps tomorrow (typed /api/*, Ollama's /api/*, the
/// dashboard at /ui) — requires a key: the check is default-deny, and a test walks every mapped
/// endpoint against this list.
/// </summary>
internal static class OpenRoutes
{
    /// <summary>"METHOD pattern" of each open route (HEAD counts as GET).</summary>
    public static readonly IReadOnlySet<string> List = new HashSet<string>(StringComparer.Ordinal)
    {
        "GET /health",                   // liveness for supervisors and load balancers, as in llama-swap
        "GET " + Api.SessionEndpoints.LoginPath,   // the dashboard's login form (holds no data)
        "POST " + Api.SessionEndpoints.SessionPath, // trades a key for the session cookie (checks the key itself)
    };

    public static bool IsOpen(HttpContext context)
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return false;
        }
        var method = HttpMethods.IsHead(context.Request.Method) ? "GET" : context.Request.Method.ToUpperInvariant();
        return List.Contains(method + " " + endpoint.RoutePattern.RawText);
    }
}
