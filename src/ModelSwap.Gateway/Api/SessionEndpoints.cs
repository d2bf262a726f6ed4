using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Core.OpenAi;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Routing;

namespace ModelSwap.Gateway.Api;

/// <summary>
/// The dashboard's session: <c>POST /api/session</c> with a key (JSON <c>{"key":"…"}</c>, a form
/// field <c>key</c>, or an Authorization header) sets an HttpOnly, SameSite=Strict cookie that then
/// counts as the key; <c>DELETE /api/session</c> clears it; <c>GET /login</c> is a minimal form for it.
/// </summary>
internal static class SessionEndpoints
{
    public const string SessionPath = "/api/session";
    public const string LoginPath = "/login";

    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(SessionPath, LoginAsync);
        routes.MapDelete(SessionPath, (HttpContext context) =>
        {
            context.Response.Cookies.Delete(ApiCredentials.SessionCookie, CookieOptions(context));
            return TypedResults.NoContent();
        });
        routes.MapGet(SessionPath, (GatewaySecurity security) =>
            TypedResults.Json(new JsonObject { ["authenticated"] = true, ["keysRequired"] = security.KeysRequired }));
        routes.MapGet(LoginPath, () => TypedResults.Content(LoginPage.Html, "text/html; charset=utf-8"));
        return routes;
    }

    private static async Task<IResult> LoginAsync(HttpContext context, GatewaySecurity security)
    {
        if (!SameOrigin.IsSameOrigin(context.Request))
        {
            // A login from another site would plant that site's chosen session in the browser.
            return OpenAiErrors.Result(403, "a session can only be opened from this server's own pages", OpenAiErrorTypes.Permission, "cross_site_request");
        }
        var key = ApiCredentials.FromHeaders(context.Request) ?? await KeyFromBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (!security.KeysRequired)
        {
            return TypedResults.Json(new JsonObject { ["authenticated"] = true, ["keysRequired"] = false });
        }
        if (key is null || !ApiCredentials.IsValid(key, security.ApiKeys))
        {
            context.Response.Headers.WWWAuthenticate = ApiKeyMiddleware.Challenge;
            return OpenAiErrors.Result(401, key is null ? "send the key as {\"key\":\"…\"}" : "the API key is not valid",
                OpenAiErrorTypes.Authentication, "invalid_api_key");
        }
        context.Response.Cookies.Append(ApiCredentials.SessionCookie, key, CookieOptions(context));
        if (context.Request.HasFormContentType && context.Request.Query["next"].ToString() is { Length: > 1 } next
            && next.StartsWith('/') && !next.StartsWith("//", StringComparison.Ordinal))
        {
            return TypedResults.Redirect(next);
        }
        return TypedResults.Json(new JsonObject { ["authenticated"] = true, ["keysRequired"] = true });
    }

    private static async Task<string?> KeyFromBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
                return form["key"].ToString() is { Length: > 0 } field ? field : null;
            }
            var body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return body?["key"] is JsonValue value && value.TryGetValue<string>(out var key) && key.Length > 0 ? key : null;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException or InvalidOperationException)
        {
            return null;
        }
    }

    private static CookieOptions CookieOptions(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        IsEssential = true,
        MaxAge = TimeSpan.FromDays(30),
    };
}
