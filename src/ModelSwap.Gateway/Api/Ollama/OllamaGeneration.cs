using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Routing;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Gateway.Translation;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>
/// /api/chat and /api/generate: the request is translated to the model server's OpenAI API, sent
/// under a lease from the coordinator like any request, and its answer (an SSE stream, chunk by
/// chunk, or one object) written back as Ollama's NDJSON lines or one object.
/// </summary>
internal sealed partial class OllamaGeneration(
    ModelCoordinator coordinator,
    OllamaModelSource models,
    ForwardingClient client,
    GatewayMetrics metrics,
    TimeProvider time,
    Activity.InFlightRequests requests,
    ILogger<OllamaGeneration> logger)
{
    public Task ChatAsync(HttpContext context) => RunAsync(context, OllamaChatTranslator.Translate, chat: true);

    public Task GenerateAsync(HttpContext context) => RunAsync(context, OllamaGenerateTranslator.Translate, chat: false);

    private async Task RunAsync(HttpContext context, Func<JsonObject, TranslatedRequest> translate, bool chat)
    {
        var clock = new GenerationClock(time);
        // The head of the Ollama body, for the history's viewer.
        var excerpt = new Activity.RequestExcerpt();
        context.Request.Body = new Activity.ObservedStream(context.Request.Body, excerpt.Observe);
        TranslatedRequest request;
        try
        {
            request = translate(await OllamaBodies.ReadAsync(context).ConfigureAwait(false));
        }
        catch (OllamaRequestException ex)
        {
            await OllamaErrors.WriteAsync(context, 400, ex.Message).ConfigureAwait(false);
            return;
        }
        var modelId = OllamaModelNames.Resolve(coordinator.Config, request.Model);
        if (modelId is null)
        {
            await OllamaErrors.WriteAsync(context, 404, OllamaErrors.ModelNotFound(request.Model)).ConfigureAwait(false);
            return;
        }
        if (request.Kind == UpstreamKind.Infill && await RefusesInsertAsync(request.Model, context.RequestAborted).ConfigureAwait(false) is { } refusal)
        {
            await OllamaErrors.WriteAsync(context, 400, refusal).ConfigureAwait(false);
            return;
        }
        var started = GatewayMetrics.Now();
        try
        {
            if (request.Empty)
            {
                await LoadOrUnloadAsync(context, request, modelId, chat, clock).ConfigureAwait(false);
            }
            else
            {
                // Listed by GET /api/requests, cancellable, and recorded in the history like any proxied request.
                using var tracked = requests.Register(context, modelId);
                tracked.RequestBody = excerpt;
                await GenerateAsync(context, request, modelId, chat, clock, tracked).ConfigureAwait(false);
            }
        }
        finally
        {
            metrics.RecordRequest(modelId, context.Response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// A <c>suffix</c> needs fill-in-the-middle tokens; without them, say so as Ollama does (and as
    /// /api/show's capabilities tell) before loading anything. A model whose file ModelSwap cannot
    /// read is left to its server to answer.
    /// </summary>
    private async Task<string?> RefusesInsertAsync(string name, CancellationToken cancellationToken)
    {
        if (await models.FindAsync(name, cancellationToken).ConfigureAwait(false) is not { } model)
        {
            return null;
        }
        try
        {
            return OllamaModelHeaders.Read(model, vocabulary: false) is { } header && FillInTheMiddleTokens.From(header) is null
                ? $"model '{name}' does not support insert: its GGUF declares no fill-in-the-middle tokens (tokenizer.ggml.fim_pre_token_id, fim_suf, fim_mid)"
                : null;
        }
        catch (Exception ex) when (OllamaModelHeaders.IsReadFailure(ex))
        {
            return null;
        }
    }

    /// <summary>No prompt: Ollama's way to load a model (or, with keep_alive 0, to unload it).</summary>
    private async Task LoadOrUnloadAsync(HttpContext context, TranslatedRequest request, string modelId, bool chat, GenerationClock clock)
    {
        string reason;
        if (request.KeepAlive == TimeSpan.Zero)
        {
            await coordinator.UnloadAsync(modelId, context.RequestAborted).ConfigureAwait(false);
            reason = "unload";
        }
        else
        {
            var lease = await OllamaLeases.AcquireAsync(context, coordinator, modelId).ConfigureAwait(false);
            if (lease is null)
            {
                return;
            }
            clock.MarkLoaded();
            if (request.KeepAlive is { } keepAlive)
            {
                coordinator.SetKeepAlive(modelId, keepAlive);
            }
            await lease.DisposeAsync().ConfigureAwait(false);
            reason = "load";
        }
        var done = OllamaReplies.Done(chat, request.Model, clock.Now, tally: null, clock.Finish(null), whole: true, thinking: false, reason);
        await WriteWholeAsync(context, done).ConfigureAwait(false);
    }

    private async Task GenerateAsync(HttpContext context, TranslatedRequest request, string modelId, bool chat, GenerationClock clock,
        Activity.InFlightRequest tracked)
    {
        var lease = await OllamaLeases.AcquireAsync(context, coordinator, modelId, tracked.Token).ConfigureAwait(false);
        if (lease is null)
        {
            await WriteEndedAsync(context, tracked).ConfigureAwait(false);
            return;
        }
        try
        {
            tracked.MarkForwarding(lease.ProcessId);
            clock.MarkLoaded();
            if (request.KeepAlive is { } keepAlive)
            {
                coordinator.SetKeepAlive(modelId, keepAlive);
            }
            await SendAsync(context, request, lease, chat, clock, tracked).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (tracked.Token.IsCancellationRequested)
        {
            // The client went away or the request was ended; disposing the upstream response stops the generation.
            await WriteEndedAsync(context, tracked).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or UpstreamProtocolException)
        {
            LogUpstreamFailed(modelId, ex.Message);
            await OllamaErrors.WriteAsync(context, 502, $"model '{modelId}' failed to answer: {ex.Message}").ConfigureAwait(false);
        }
        finally
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
        if (request.KeepAlive == TimeSpan.Zero)
        {
            await UnloadIfIdleAsync(modelId).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(HttpContext context, TranslatedRequest request, ModelLease lease, bool chat, GenerationClock clock,
        Activity.InFlightRequest tracked)
    {
        var token = tracked.Token;
        var body = request.Body.DeepClone().AsObject();
        body["model"] = lease.ModelId;
        var bytes = RequestBodyRewriter.Rewrite(JsonSerializer.SerializeToUtf8Bytes(body), lease.Model);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(lease.Proxy, request.Path))
        {
            Content = new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } },
        };
        using var response = await client.Invoker.SendAsync(message, token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
            tracked.Failure = UpstreamErrors.FromBody(text);
            await OllamaErrors.WriteAsync(context, (int)response.StatusCode, tracked.Failure).ConfigureAwait(false);
            return;
        }
        var tally = new GenerationTally(request.Kind);
        // The history reads usage/timings from the upstream's answer as it is read.
        tracked.Response.Start(response.Content.Headers.ContentType?.ToString());
        await using var upstream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        await using var stream = new Activity.ObservedStream(upstream, tracked.ObserveAnswer);
        if (!request.Stream)
        {
            var whole = await JsonNode.ParseAsync(stream, cancellationToken: token).ConfigureAwait(false) as JsonObject
                ?? throw new UpstreamProtocolException("the model server's answer is not a JSON object");
            clock.MarkToken();
            tally.Add(whole);
            var done = OllamaReplies.Done(chat, request.Model, clock.Now, tally, clock.Finish(tally), whole: true, request.WantsThinking);
            await WriteWholeAsync(context, done).ConfigureAwait(false);
            return;
        }
        await foreach (var chunk in UpstreamEvents.ReadAsync(stream, token).ConfigureAwait(false))
        {
            var (content, thinking) = tally.Add(chunk);
            if (!request.WantsThinking)
            {
                thinking = "";
            }
            if (content.Length > 0 || thinking.Length > 0)
            {
                clock.MarkToken();
                await NdjsonWriter.WriteLineAsync(context.Response,
                    OllamaReplies.Piece(chat, request.Model, clock.Now, content, thinking), context.RequestAborted).ConfigureAwait(false);
            }
        }
        if (tally.ToolCalls.Any)
        {
            // Ollama sends tool calls whole, in a message of their own, never as fragments.
            await NdjsonWriter.WriteLineAsync(context.Response,
                OllamaReplies.Piece(chat, request.Model, clock.Now, "", "", tally.ToolCalls.ToOllama()), context.RequestAborted).ConfigureAwait(false);
        }
        var final = OllamaReplies.Done(chat, request.Model, clock.Now, tally, clock.Finish(tally), whole: false, request.WantsThinking);
        await NdjsonWriter.WriteLineAsync(context.Response, final, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// keep_alive 0: the run's keep-alive already stops it once idle; when nobody else is using it,
    /// wait for that stop here, so a client that asks /api/ps right after the answer sees it gone.
    /// </summary>
    private async Task UnloadIfIdleAsync(string modelId)
    {
        await coordinator.FlushAsync().ConfigureAwait(false); // our own release is counted first
        var status = coordinator.GetStatus().FirstOrDefault(s => s.ModelId == modelId);
        if (status is { InFlight: 0, Queued: 0 })
        {
            try
            {
                await coordinator.UnloadAsync(modelId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is UnknownModelException or CoordinatorStoppedException)
            {
                // removed by a reload or shutting down: nothing left to unload
            }
        }
    }

    /// <summary>A request ModelSwap ended (cancel, swap timeout, shutdown) is told why, in Ollama's shape, when nothing was sent yet.</summary>
    private static async Task WriteEndedAsync(HttpContext context, Activity.InFlightRequest tracked)
    {
        if (tracked.EndReason is { } ended && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            await OllamaErrors.WriteAsync(context, ended.Status, ended.Message).ConfigureAwait(false);
        }
    }

    private static Task WriteWholeAsync(HttpContext context, JsonObject reply)
    {
        // Ollama answers one object as JSON (also for a streamed request that has only one).
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(reply.ToJsonString(OllamaJson.Options) + "\n", context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ollama request to {ModelId} failed: {Detail}")]
    private partial void LogUpstreamFailed(string modelId, string detail);
}
