using Microsoft.AspNetCore.Http;
using ModelSwap.Core.OpenAi;
using ModelSwap.Gateway.Api;
using ModelSwap.Gateway.Routing;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// When apiKeys are configured, inference endpoints need `Authorization: Bearer KEY` or `x-api-key: KEY`.
/// Keys are compared in constant time and never logged.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ModelCoordinator coordinator)
{
    public Task InvokeAsync(HttpContext context)
    {
        var keys = coordinator.Config.ApiKeys;
        if (keys.IsDefaultOrEmpty || context.GetEndpoint()?.Metadata.GetMetadata<InferenceEndpointMetadata>() is null)
        {
            return next(context);
        }
        var presented = PresentedKey(context.Request);
        if (presented is not null && keys.Any(key => FixedTimeEquals(key, presented)))
        {
            return next(context);
        }
        return OpenAiErrors.WriteAsync(context, 401,
            presented is null ? "an API key is required: send 'Authorization: Bearer KEY'" : "the API key is not valid",
            OpenAiErrorTypes.Authentication, "invalid_api_key");
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        var apiKey = request.Headers["x-api-key"].ToString();
        return apiKey.Length > 0 ? apiKey : null;
    }

    private static bool FixedTimeEquals(string expected, string presented) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(presented));
}
