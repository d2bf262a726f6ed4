using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Gateway.Api;

/// <summary>
/// The management API over <see cref="IModelManagement"/>: status, the model inventory, load,
/// unload, restart, delete, config reload and regeneration. Thin: failures propagate to the one
/// exception handler. Model ids contain <c>/</c> and <c>:</c>: a <c>/</c> may be sent as is
/// (<c>/api/models/org/repo:Q4_K_M/load</c>) or as <c>%2F</c>; the <c>{id}</c> routes document the
/// API, the catch-all routes behind them take ids with raw slashes.
/// </summary>
internal static class ManagementEndpoints
{
    private static readonly string[] Actions = ["load", "unload", "restart"];

    public static IEndpointRouteBuilder MapManagementEndpoints(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").WithTags("Management");
        api.MapGet("/status", (IModelManagement management) => TypedResults.Ok(management.GetStatus()))
            .WithSummary("Version, uptime, listen URL, config, models folders, runtime and machine");
        api.MapGet("/models", async (IModelManagement management, CancellationToken ct) =>
                TypedResults.Ok(await management.ListAsync(ct).ConfigureAwait(false)))
            .WithSummary("Every model: config entry, files, origin and live state");
        api.MapGet("/models/{id}", GetAsync).WithSummary("One model by id or alias").WithErrors(404);
        api.MapGet("/models/{id}/drafts", DraftsAsync)
            .WithSummary("The models that could draft for it in speculative decoding (smaller, same family, same GGUF vocabulary) and the draft models.yaml sets")
            .WithErrors(404);
        api.MapPost("/models/{id}/load", LoadAsync).WithSummary("Start the model and wait until it is ready").WithErrors(404, 409, 502, 504);
        api.MapPost("/models/{id}/unload", UnloadAsync).WithSummary("Stop the model once its in-flight requests end").WithErrors(404);
        api.MapPost("/models/{id}/restart", RestartAsync).WithSummary("Unload, then load the model").WithErrors(404, 409, 502, 504);
        api.MapDelete("/models/{id}", DeleteAsync)
            .WithSummary("Stop the model (after its in-flight requests) and delete its files; requests meanwhile get 409, afterwards 404")
            .WithErrors(404, 409, 500);
        api.MapPost("/config/reload", async (IModelManagement management, CancellationToken ct) =>
                TypedResults.Ok(await management.ReloadConfigAsync(ct).ConfigureAwait(false)))
            .WithSummary("Reload the config file now (a generated config is regenerated)").WithErrors(409, 500);
        api.MapPost("/config/regenerate", async (IModelManagement management, CancellationToken ct) =>
                TypedResults.Ok(await management.RegenerateConfigAsync(ct).ConfigureAwait(false)))
            .WithSummary("Rescan the models folders and apply the generated config (409 with a config file of your own)").WithErrors(409, 500);

        // Ids with raw slashes: the same operations behind catch-all routes, left out of the document.
        api.MapGet("/models/{**path}", (string path, IModelManagement management, CancellationToken ct) => GetAsync(path, management, ct))
            .ExcludeFromDescription();
        api.MapDelete("/models/{**path}", (string path, IModelManagement management, CancellationToken ct) => DeleteAsync(path, management, ct))
            .ExcludeFromDescription();
        api.MapPost("/models/{**path}", (string path, IModelManagement management, CancellationToken ct) => ActionAsync(path, management, ct))
            .ExcludeFromDescription();
        return routes;
    }

    private static async Task<Ok<ModelInfo>> GetAsync(string id, IModelManagement management, CancellationToken ct) =>
        TypedResults.Ok(await management.GetAsync(Id(id), ct).ConfigureAwait(false));

    private static async Task<Ok<ModelDraftsView>> DraftsAsync(string id, IModelManagement management, CancellationToken ct) =>
        TypedResults.Ok(await management.GetDraftsAsync(Id(id), ct).ConfigureAwait(false));

    private static async Task<Ok<ModelInfo>> LoadAsync(string id, IModelManagement management, CancellationToken ct) =>
        TypedResults.Ok(await management.LoadAsync(Id(id), ct).ConfigureAwait(false));

    private static async Task<Ok<ModelInfo>> UnloadAsync(string id, IModelManagement management, CancellationToken ct) =>
        TypedResults.Ok(await management.UnloadAsync(Id(id), ct).ConfigureAwait(false));

    private static async Task<Ok<ModelInfo>> RestartAsync(string id, IModelManagement management, CancellationToken ct) =>
        TypedResults.Ok(await management.RestartAsync(Id(id), ct).ConfigureAwait(false));

    private static async Task<Ok<DeleteOutcome>> DeleteAsync(string id, IModelManagement management, CancellationToken ct) =>
        TypedResults.Ok(await management.DeleteAsync(Id(id), ct).ConfigureAwait(false));

    private static Task<Ok<ModelInfo>> ActionAsync(string path, IModelManagement management, CancellationToken ct)
    {
        var slash = path.LastIndexOf('/');
        var action = slash < 0 ? "" : path[(slash + 1)..];
        if (slash <= 0 || !Actions.Contains(action))
        {
            throw new ManagementException(ManagementFailure.NotFound, "not_found",
                $"no route POST /api/models/{path}; the actions are POST /api/models/{{id}}/load, /unload and /restart");
        }
        var id = path[..slash];
        return action switch
        {
            "load" => LoadAsync(id, management, ct),
            "unload" => UnloadAsync(id, management, ct),
            _ => RestartAsync(id, management, ct),
        };
    }

    /// <summary>A route value as the model id: <c>%2F</c> (which the server leaves encoded) becomes <c>/</c>.</summary>
    private static string Id(string value) => value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
