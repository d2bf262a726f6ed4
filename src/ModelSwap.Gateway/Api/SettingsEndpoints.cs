using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Gateway.Api;

/// <summary>
/// A generated model's settings in models.yaml (<c>GET/PUT /api/config/models/{id}/settings</c>; 409 with a
/// config file of the user's own) and the service's CPU and memory over the last hour
/// (<c>GET /api/status/resources</c>). Thin: failures propagate to the one exception handler.
/// </summary>
internal static class SettingsEndpoints
{
    private const string Suffix = "/settings";

    public static IEndpointRouteBuilder MapSettingsEndpoints(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").WithTags("Management");
        api.MapGet("/config/models/{id}/settings", GetAsync)
            .WithSummary("A generated model's settings as models.yaml keeps them (409 with a config file of your own)").WithErrors(404, 409);
        api.MapPut("/config/models/{id}/settings", SaveAsync)
            .WithSummary("Validate and save a generated model's settings in models.yaml (comments kept); the change hot-reloads (400 names each refused field)")
            .WithErrors(400, 404, 409);
        api.MapGet("/status/resources", (IModelManagement management) => TypedResults.Ok(management.GetResources()))
            .WithSummary("CPU and memory of the gateway and each model server over the last hour, oldest first");

        // Ids with raw slashes (org/repo:Q4_K_M): the same operations behind catch-all routes, left out of the document.
        api.MapGet("/config/models/{**path}", (string path, IModelManagement management, CancellationToken ct) => GetAsync(Id(path), management, ct))
            .ExcludeFromDescription();
        api.MapPut("/config/models/{**path}", (string path, ModelSettings settings, IModelManagement management, CancellationToken ct) =>
                SaveAsync(Id(path), settings, management, ct))
            .ExcludeFromDescription();
        return routes;
    }

    private static async Task<Ok<ModelSettingsView>> GetAsync(string id, IModelManagement management, CancellationToken ct) =>
        TypedResults.Ok(await management.GetSettingsAsync(Unescape(id), ct).ConfigureAwait(false));

    private static async Task<Ok<ModelSettingsView>> SaveAsync(string id, ModelSettings settings, IModelManagement management, CancellationToken ct) =>
        TypedResults.Ok(await management.SaveSettingsAsync(Unescape(id), settings, ct).ConfigureAwait(false));

    /// <summary>The id in a catch-all path that must end in /settings.</summary>
    private static string Id(string path) => path.EndsWith(Suffix, StringComparison.Ordinal) && path.Length > Suffix.Length
        ? path[..^Suffix.Length]
        : throw new ManagementException(ManagementFailure.NotFound, "not_found",
            $"no route /api/config/models/{path}; a model's settings are at /api/config/models/{{id}}/settings");

    /// <summary>A route value as the model id: <c>%2F</c> (which the server leaves encoded) becomes <c>/</c>.</summary>
    private static string Unescape(string value) => value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
