using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ModelSwap.Core.OpenAi;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// llama-swap's <c>sendLoadingState</c>: while a streaming chat waits for its model, the client gets
/// server-sent chunks whose <c>delta.reasoning_content</c> says what it waits for (queued behind other
/// requests, stopping a model to free memory, loading with a percentage), then the model's own chunks,
/// all in one OpenAI stream. Nothing is written until there is something to say, so a request whose
/// model is ready at once is forwarded untouched. Once the stream has started, the model's answer is
/// relayed here (YARP cannot forward into a response that has begun), and a failure becomes an
/// <c>error</c> event, which OpenAI's SDKs raise as an API error.
/// </summary>
internal sealed class LoadingFeed(HttpContext context, ModelCoordinator coordinator, HttpMessageInvoker invoker, string modelId, string modelName, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private readonly string _id = "chatcmpl-loading-" + Guid.NewGuid().ToString("N")[..16];
    private string? _last;

    /// <summary>True once the SSE response has begun: the rest must be written as events.</summary>
    public bool Started { get; private set; }

    /// <summary>
    /// Whether a request gets loading messages: a streaming chat completion (its top-level "stream" is
    /// true, found by <see cref="RequestModelReader"/>'s scan), with sendLoadingState on for its model.
    /// </summary>
    public static bool AppliesTo(HttpContext context, bool sendsLoadingState, bool streams) =>
        sendsLoadingState && streams && context.Request.Path.StartsWithSegments("/v1/chat/completions", StringComparison.Ordinal);

    /// <summary>Acquires the model, telling the client what it waits for whenever that changes.</summary>
    public async Task<ModelLease> AcquireAsync(CancellationToken cancellationToken)
    {
        var acquire = coordinator.AcquireAsync(modelId, cancellationToken).AsTask();
        while (!acquire.IsCompleted)
        {
            if (Describe(coordinator.GetStatus()) is { } text && text != _last)
            {
                _last = text;
                await WriteReasoningAsync(text + "\n", cancellationToken).ConfigureAwait(false);
            }
            await Task.WhenAny(acquire, Task.Delay(PollInterval, time, cancellationToken)).ConfigureAwait(false);
        }
        var lease = await acquire.ConfigureAwait(false);
        if (Started)
        {
            await WriteReasoningAsync($"{modelId} is ready.\n", cancellationToken).ConfigureAwait(false);
        }
        return lease;
    }

    /// <summary>What the request waits for now, or null when there is nothing to say.</summary>
    internal string? Describe(IReadOnlyList<ModelStatus> statuses)
    {
        var me = statuses.FirstOrDefault(s => string.Equals(s.ModelId, modelId, StringComparison.Ordinal));
        if (me is null || me.State == ModelState.Ready)
        {
            return null;
        }
        if (me.State == ModelState.Starting)
        {
            return me.LoadProgress is { } progress
                ? string.Create(CultureInfo.InvariantCulture, $"Loading {modelId}: {Math.Floor(progress * 100):0} %")
                : $"Loading {modelId}…";
        }
        if (me.WaitingFor is { } waiting)
        {
            return $"Waiting to start {modelId}: {waiting}";
        }
        var ahead = me.QueuedRequests.IsDefaultOrEmpty ? 0 : me.QueuedRequests[0].Position - 1;
        if (ahead > 0)
        {
            return $"Queued behind {ahead} request{(ahead == 1 ? "" : "s")} for other models";
        }
        return me.State == ModelState.Stopping ? $"Waiting for {modelId} to stop before it starts again" : $"Starting {modelId}";
    }

    /// <summary>
    /// Relays the model's streamed answer into the started response. <paramref name="body"/> is the
    /// spooled request body (or its rewrite), sent from where it is, never read into memory; the
    /// model's own key goes with it as it would through the forwarder.
    /// </summary>
    public async Task RelayAsync(ModelLease lease, Stream body, string? upstreamKey, CancellationToken cancellationToken)
    {
        var target = new Uri(lease.Proxy.ToString().TrimEnd('/') + context.Request.Path + context.Request.QueryString);
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StreamContent(body, 64 * 1024) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        // A rewrite is a spool of known length; the request's own body goes as it came (chunked when it was), as YARP forwards it.
        request.Content.Headers.ContentLength = body.CanSeek ? body.Length - body.Position : context.Request.ContentLength;
        if (upstreamKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + upstreamKey);
        }
        using var response = await invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            await WriteErrorAsync((int)response.StatusCode, $"model '{modelId}' answered HTTP {(int)response.StatusCode}: {text}",
                OpenAiErrorTypes.Server, "upstream_error", cancellationToken).ConfigureAwait(false);
            return;
        }
        var upstream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (upstream.ConfigureAwait(false))
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await upstream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Ends a started stream with the error envelope as an event, then <c>[DONE]</c>.</summary>
    public async Task WriteErrorAsync(int status, string message, string type, string code, CancellationToken cancellationToken)
    {
        var error = new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = code, ["status"] = status } };
        await WriteEventAsync(error.ToJsonString(), cancellationToken).ConfigureAwait(false);
        await WriteEventAsync("[DONE]", cancellationToken).ConfigureAwait(false);
    }

    private Task WriteReasoningAsync(string text, CancellationToken cancellationToken)
    {
        var chunk = new JsonObject
        {
            ["id"] = _id,
            ["object"] = "chat.completion.chunk",
            ["created"] = time.GetUtcNow().ToUnixTimeSeconds(),
            ["model"] = modelName,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["delta"] = new JsonObject { ["role"] = "assistant", ["reasoning_content"] = text },
                ["finish_reason"] = null,
            }),
        };
        return WriteEventAsync(chunk.ToJsonString(), cancellationToken);
    }

    private async Task WriteEventAsync(string data, CancellationToken cancellationToken)
    {
        if (!Started)
        {
            Started = true;
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/event-stream; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no";
        }
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"data: {data}\n\n"), cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
