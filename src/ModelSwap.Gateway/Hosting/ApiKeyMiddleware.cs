using Microsoft.AspNetCore.Http;
using ModelSwap.Core.OpenAi;
using ModelSwap.Gateway.Routing;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// When API keys are set (config <c>apiKeys</c> or <c>MODELSWAP_API_KEYS</c>), every route but those
/// in <see cref="OpenRoutes"/> needs one: `Authorization: Bearer KEY`, `x-api-key: KEY`, Basic auth
/// with the key as password, or the dashboard's session cookie. A change (POST, PUT, PATCH, DELETE)
/// authenticated by the cookie alone must also come from the gateway's own origin, so another site
/// cannot ride on the browser's cookie. Keys are compared in constant time and never logged.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, GatewaySecurity security)
{
    public const string Challenge = "Bearer realm=\"modelswap\"";

    public Task InvokeAsync(HttpContext context)
    {
        if (!security.KeysRequired || OpenRoutes.IsOpen(context))
        {
            return next(context);
        }
        var keys = security.ApiKeys;
        var presented = ApiCredentials.FromHeaders(context.Request);
        if (presented is not null)
        {
            return ApiCredentials.IsValid(presented, keys) ? next(context) : RefuseAsync(context, "the API key is not valid");
        }
        if (ApiCredentials.FromCookie(context.Request) is { } cookie && ApiCredentials.IsValid(cookie, keys))
        {
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
                && !HttpMethods.IsOptions(context.Request.Method) && !SameOrigin.IsSameOrigin(context.Request))
            {
                return OpenAiErrors.WriteAsync(context, 403,
                    "a change authenticated by the session cookie must come from this server's own pages (Origin / Sec-Fetch-Site); send the key in the Authorization header instead",
                    OpenAiErrorTypes.Permission, "cross_site_request");
            }
            return next(context);
        }
        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            // A person in a browser: to the login form, then back.
            context.Response.Redirect(Api.SessionEndpoints.LoginPath + "?next=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
            return Task.CompletedTask;
        }
        return RefuseAsync(context, "an API key is required: send 'Authorization: Bearer KEY' (or 'x-api-key: KEY')");
    }

    private static Task RefuseAsync(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate = Challenge;
        return OpenAiErrors.WriteAsync(context, 401, message, OpenAiErrorTypes.Authentication, "invalid_api_key");
    }
}
