using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Routing;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Gateway.Translation;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>
/// /api/embed (string or array input) and the older /api/embeddings (one prompt), over the model's /v1/embeddings.
/// Each is listed by GET /api/requests, cancellable, and recorded in the history like any proxied request,
/// its tokens read from the upstream's <c>usage</c>.
/// </summary>
internal sealed class OllamaEmbedding(ModelCoordinator coordinator, ForwardingClient client, GatewayMetrics metrics, TimeProvider time,
    Activity.InFlightRequests requests)
{
    public Task EmbedAsync(HttpContext context) => RunAsync(context, legacy: false);

    public Task EmbeddingsAsync(HttpContext context) => RunAsync(context, legacy: true);

    private async Task RunAsync(HttpContext context, bool legacy)
    {
        var clock = new GenerationClock(time);
        // The head of the Ollama body, for the history's viewer.
        var excerpt = new Activity.RequestExcerpt();
        context.Request.Body = new Activity.ObservedStream(context.Request.Body, excerpt.Observe);
        string model;
        JsonObject body;
        TimeSpan? keepAlive;
        try
        {
            var request = await OllamaBodies.ReadAsync(context).ConfigureAwait(false);
            model = OllamaFields.Model(request);
            keepAlive = OllamaDuration.Parse(request["keep_alive"], "keep_alive");
            body = new JsonObject { ["input"] = Input(request, legacy) };
            if (!legacy && request["dimensions"] is { } dimensions)
            {
                if (dimensions is not JsonValue d || d.GetValueKind() != JsonValueKind.Number)
                {
                    throw new OllamaRequestException("dimensions must be a number");
                }
                body["dimensions"] = dimensions.DeepClone();
            }
        }
        catch (OllamaRequestException ex)
        {
            await OllamaErrors.WriteAsync(context, 400, ex.Message).ConfigureAwait(false);
            return;
        }
        var modelId = OllamaModelNames.Resolve(coordinator.Config, model);
        if (modelId is null)
        {
            await OllamaErrors.WriteAsync(context, 404, OllamaErrors.ModelNotFound(model)).ConfigureAwait(false);
            return;
        }
        var started = GatewayMetrics.Now();
        try
        {
            using var tracked = requests.Register(context, modelId);
            tracked.RequestBody = excerpt;
            await EmbedAsync(context, model, modelId, body, keepAlive, legacy, clock, tracked).ConfigureAwait(false);
        }
        finally
        {
            metrics.RecordRequest(modelId, context.Response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task EmbedAsync(HttpContext context, string model, string modelId, JsonObject body, TimeSpan? keepAlive, bool legacy,
        GenerationClock clock, Activity.InFlightRequest tracked)
    {
        var token = tracked.Token;
        var lease = await OllamaLeases.AcquireAsync(context, coordinator, modelId, token).ConfigureAwait(false);
        if (lease is null)
        {
            await WriteEndedAsync(context, tracked).ConfigureAwait(false);
            return;
        }
        JsonObject answer;
        try
        {
            tracked.MarkForwarding(lease.ProcessId);
            clock.MarkLoaded();
            if (keepAlive is { } value)
            {
                coordinator.SetKeepAlive(modelId, value);
            }
            body["model"] = lease.ModelId;
            var bytes = RequestBodyRewriter.Rewrite(JsonSerializer.SerializeToUtf8Bytes(body), lease.Model);
            using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(lease.Proxy, "/v1/embeddings"))
            {
                Content = new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } },
            };
            using var response = await client.Invoker.SendAsync(message, token).ConfigureAwait(false);
            // Read whole anyway (the vectors are reshaped): the history reads usage from the same bytes.
            var raw = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
            tracked.Response.Start(response.Content.Headers.ContentType?.ToString());
            tracked.Response.Observe(raw);
            if (!response.IsSuccessStatusCode)
            {
                tracked.Failure = UpstreamErrors.FromBody(System.Text.Encoding.UTF8.GetString(raw));
                await OllamaErrors.WriteAsync(context, (int)response.StatusCode, tracked.Failure).ConfigureAwait(false);
                return;
            }
            answer = JsonNode.Parse(raw) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            await WriteEndedAsync(context, tracked).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException)
        {
            tracked.Failure = $"model '{modelId}' failed to answer: {ex.Message}";
            await OllamaErrors.WriteAsync(context, 502, tracked.Failure).ConfigureAwait(false);
            return;
        }
        finally
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
        var vectors = (answer["data"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .OrderBy(d => OllamaFields.Number(d["index"]) ?? 0)
            .Select(d => d["embedding"]?.DeepClone())
            .ToList();
        JsonObject reply;
        if (legacy)
        {
            reply = new JsonObject { ["embedding"] = vectors.FirstOrDefault() ?? new JsonArray() };
        }
        else
        {
            var durations = clock.Finish(null);
            reply = new JsonObject
            {
                ["model"] = model,
                ["embeddings"] = new JsonArray([.. vectors]),
                ["total_duration"] = OllamaDurations.Nanoseconds(durations.Total),
                ["load_duration"] = OllamaDurations.Nanoseconds(durations.Load),
                ["prompt_eval_count"] = answer["usage"]?["prompt_tokens"]?.DeepClone() ?? 0,
            };
        }
        await context.Response.WriteAsJsonAsync(reply, OllamaJson.Options, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A request ModelSwap ended (cancel, swap timeout, shutdown) is told why, in Ollama's shape.</summary>
    private static async Task WriteEndedAsync(HttpContext context, Activity.InFlightRequest tracked)
    {
        if (tracked.EndReason is { } ended && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            await OllamaErrors.WriteAsync(context, ended.Status, ended.Message).ConfigureAwait(false);
        }
    }

    private static JsonNode Input(JsonObject request, bool legacy)
    {
        if (legacy)
        {
            return OllamaFields.OptionalString(request, "prompt") ?? throw new OllamaRequestException("prompt is required");
        }
        return request["input"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonArray array when array.Count > 0 => new JsonArray([.. OllamaFields.Strings(array, "input").Select(s => (JsonNode?)s)]),
            JsonArray => throw new OllamaRequestException("input must not be empty"),
            null => throw new OllamaRequestException("input is required (a string or an array of strings)"),
            _ => throw new OllamaRequestException("input must be a string or an array of strings"),
        };
    }
}
