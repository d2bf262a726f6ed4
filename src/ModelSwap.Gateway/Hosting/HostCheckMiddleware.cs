using Microsoft.AspNetCore.Http;
using ModelSwap.Core.OpenAi;
using ModelSwap.Gateway.Routing;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Against DNS rebinding (a web page whose host name turns into 127.0.0.1): while the gateway listens
/// on loopback only, a request must name a loopback host (localhost, 127.0.0.1, [::1]) or one of
/// <c>allowedHosts</c>; others get 403, as Ollama and Jupyter do. <c>allowedHosts: ["*"]</c> turns
/// the check off; with <c>allowedHosts</c> set the check applies on any listen address.
/// </summary>
internal sealed class HostCheckMiddleware(RequestDelegate next, GatewaySecurity security)
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]", "::1"];

    public Task InvokeAsync(HttpContext context)
    {
        var allowed = security.AllowedHosts;
        if ((!security.ListensOnLoopback && allowed.Count == 0) || allowed.Contains("*"))
        {
            return next(context);
        }
        var host = context.Request.Host;
        if (!host.HasValue)
        {
            return next(context); // HTTP/1.0 without Host: no browser sends that
        }
        var name = host.Host;
        if (LoopbackNames.Contains(name, StringComparer.OrdinalIgnoreCase) || allowed.Any(a => Matches(a, name)))
        {
            return next(context);
        }
        return OpenAiErrors.WriteAsync(context, 403,
            $"host '{name}' is not allowed: ModelSwap accepts only localhost, 127.0.0.1 and [::1] (and the names in allowedHosts) as the Host of a request",
            OpenAiErrorTypes.Permission, "host_not_allowed");
    }

    /// <summary>"example.com" or "*.example.com".</summary>
    private static bool Matches(string pattern, string host) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
}
