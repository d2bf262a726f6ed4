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
        routes.MapGet("/running", (ModelCoordinator coordinator, TimeProvider time, GatewaySecurity security) =>
            TypedResults.Json(Running(coordinator, time.GetUtcNow(), security.Redactor)));
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
        routes.MapGet("/logs", (HttpContext context, GatewayLogs logs, GatewaySecurity security) => LogEndpoints.WriteRecentAsync(context, logs.All, security));
        routes.MapGet("/logs/stream", (HttpContext context, GatewayLogs logs, GatewaySecurity security) => LogEndpoints.StreamAsync(context, logs.All, security));
        routes.MapGet("/logs/stream/proxy", (HttpContext context, GatewayLogs logs, GatewaySecurity security) => LogEndpoints.StreamAsync(context, logs.Proxy, security));
        routes.MapGet("/logs/stream/upstream", (HttpContext context, GatewayLogs logs, GatewaySecurity security) => LogEndpoints.StreamAsync(context, logs.Upstream, security));
        return routes;
    }

    internal static JsonObject Running(ModelCoordinator coordinator, DateTimeOffset now, Core.Configuration.SecretRedactor redactor)
    {
        var running = new JsonArray();
        var config = coordinator.Config;
        var statuses = coordinator.GetStatus();
        foreach (var status in statuses.Where(s => s.State is not ModelState.Stopped))
        {
            running.Add(new JsonObject
            {
                ["model"] = status.ModelId,
                ["state"] = status.State.ToString().ToLowerInvariant(),
                ["pid"] = status.Pid,
                ["inFlight"] = status.InFlight,
                ["queued"] = status.Queued,
                // Percent loaded (0-100) while starting, when the server reports it; 100 once ready.
                ["progress"] = Percent(status.LoadProgress),
                // The command line tells clients (`models rm`) which model files a running server holds.
                // Secrets (${env.…} values, --api-key arguments) are shown redacted.
                ["cmd"] = config.Models.TryGetValue(status.ModelId, out var model)
                    ? new JsonArray([.. redactor.RedactCommand(model.Command).Select(a => (JsonNode)JsonValue.Create(a))])
                    : null,
                ["memory"] = MemoryViews.Memory(status),
                ["loadProgress"] = status.LoadProgress,
                ["waitingFor"] = status.WaitingFor,
                ["queuedRequests"] = MemoryViews.Queue(status, now),
            });
        }
        // Every queued request, in service order, also those for models that are not running yet.
        var queue = new JsonArray();
        foreach (var (status, request) in statuses.SelectMany(s => s.QueuedRequests.Select(q => (s, q))).OrderBy(p => p.q.Position))
        {
            queue.Add(new JsonObject
            {
                ["model"] = status.ModelId,
                ["position"] = request.Position,
                ["waitSeconds"] = Math.Round(Math.Max(0, (now - request.Since).TotalSeconds), 3),
                ["waitingFor"] = status.WaitingFor,
            });
        }
        return new JsonObject { ["running"] = running, ["queue"] = queue, ["memory"] = MemoryViews.Budget(coordinator, statuses) };
    }

    /// <summary>A load fraction as a whole percent, or null.</summary>
    internal static int? Percent(double? fraction) => fraction is { } f ? (int)Math.Round(f * 100) : null;
}
