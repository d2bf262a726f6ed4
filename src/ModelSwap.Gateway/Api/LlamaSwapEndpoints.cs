using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Routing;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Api;

/// <summary>llama-swap's own routes: /running, /unload, /health, /logs, /logs/stream, /api/models/unload/{model}.</summary>
internal static class LlamaSwapEndpoints
{
    public static IEndpointRouteBuilder MapLlamaSwapEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", (HttpResponse response) =>
        {
            ServiceIdentity.Write(response);
            return TypedResults.Text("OK");
        });
        routes.MapGet("/running", (ModelCoordinator coordinator) => TypedResults.Json(Running(coordinator)));
        routes.MapMethods("/unload", ["GET", "POST"], async (ModelCoordinator coordinator, CancellationToken ct) =>
        {
            await coordinator.UnloadAsync(null, ct).ConfigureAwait(false);
            return TypedResults.Text("OK");
        });
        routes.MapPost("/api/models/unload/{**model}", async (string model, IModelManagement management, CancellationToken ct) =>
        {
            await management.UnloadAsync(model, ct).ConfigureAwait(false);
            return TypedResults.Text("OK");
        });
        routes.MapGet("/logs", (GatewayLogs logs) => TypedResults.Text(string.Join('\n', logs.All.Snapshot()) + "\n"));
        routes.MapGet("/logs/stream", (HttpContext context, GatewayLogs logs) => StreamAsync(context, logs.All));
        routes.MapGet("/logs/stream/proxy", (HttpContext context, GatewayLogs logs) => StreamAsync(context, logs.Proxy));
        routes.MapGet("/logs/stream/upstream", (HttpContext context, GatewayLogs logs) => StreamAsync(context, logs.Upstream));
        return routes;
    }

    internal static JsonObject Running(ModelCoordinator coordinator)
    {
        var running = new JsonArray();
        var config = coordinator.Config;
        foreach (var status in coordinator.GetStatus().Where(s => s.State is not ModelState.Stopped))
        {
            running.Add(new JsonObject
            {
                ["model"] = status.ModelId,
                ["state"] = status.State.ToString().ToLowerInvariant(),
                ["pid"] = status.Pid,
                ["inFlight"] = status.InFlight,
                ["queued"] = status.Queued,
                // The command line tells clients (`models rm`) which model files a running server holds.
                ["cmd"] = config.Models.TryGetValue(status.ModelId, out var model)
                    ? new JsonArray([.. model.Command.Select(a => (JsonNode)JsonValue.Create(a))])
                    : null,
            });
        }
        return new JsonObject { ["running"] = running };
    }

    /// <summary>Live log lines as plain text (one per line), flushed per line; ends when the client leaves.</summary>
    private static async Task StreamAsync(HttpContext context, Processes.LogRing ring)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            await foreach (var line in ring.FollowAsync(context.RequestAborted).ConfigureAwait(false))
            {
                await context.Response.WriteAsync(line + "\n", context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }
}
