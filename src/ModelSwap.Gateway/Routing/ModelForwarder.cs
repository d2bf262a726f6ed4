using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ModelSwap.Core.OpenAi;
using ModelSwap.Gateway.Processes;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Gateway.Hosting;
using Yarp.ReverseProxy.Forwarder;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// The request path of the gateway: find the model, hold a lease on its running server (starting or
/// swapping as the coordinator decides), forward with YARP, release the lease when the response ends.
/// </summary>
internal sealed partial class ModelForwarder(
    ModelCoordinator coordinator,
    IHttpForwarder forwarder,
    ForwardingClient client,
    GatewayMetrics metrics,
    TimeProvider time,
    Activity.InFlightRequests requests,
    UpstreamKeys upstreamKeys,
    GatewaySecurity security,
    ILogger<ModelForwarder> logger)
{
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        // Generation can be silent for minutes (long prompts on CPU); only a dead connection should end it.
        ActivityTimeout = TimeSpan.FromHours(1),
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    /// <summary>Forwards an OpenAI-style request whose model is named in the body, form or query.</summary>
    public async Task ForwardInferenceAsync(HttpContext context)
    {
        RequestModel request;
        try
        {
            request = await RequestModelReader.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadRequestException ex)
        {
            await Api.ErrorMapping.WriteAsync(context, ex).ConfigureAwait(false);
            return;
        }
        if (request.ModelName is null)
        {
            await OpenAiErrors.WriteAsync(context, 400,
                "no model named: set \"model\" in the JSON body, the multipart form, or the ?model= query",
                OpenAiErrorTypes.InvalidRequest, "model_not_specified").ConfigureAwait(false);
            return;
        }
        var modelId = coordinator.Config.ResolveModelId(request.ModelName);
        if (modelId is null)
        {
            await WriteUnknownModelAsync(context, request.ModelName).ConfigureAwait(false);
            return;
        }
        await ForwardAsync(context, modelId, request.IsJson, path: null, request.ModelName, request.Streams).ConfigureAwait(false);
    }

    /// <summary>Forwards `/upstream/{model}/{path}` untouched but for the stripped prefix.</summary>
    public async Task ForwardUpstreamAsync(HttpContext context, string rest)
    {
        var match = UpstreamPath.Match(rest, coordinator.Config);
        if (match is null)
        {
            await WriteUnknownModelAsync(context, rest).ConfigureAwait(false);
            return;
        }
        await ForwardAsync(context, match.Value.ModelId, isJson: false, UpstreamPath.RawPath(context, match.Value)).ConfigureAwait(false);
    }

    private async Task ForwardAsync(HttpContext context, string modelId, bool isJson, string? path, string? modelName = null, bool streams = false)
    {
        var started = GatewayMetrics.Now();
        try
        {
            await LeaseAndForwardAsync(context, modelId, isJson, path, modelName ?? modelId, streams).ConfigureAwait(false);
        }
        finally
        {
            metrics.RecordRequest(modelId, context.Response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task LeaseAndForwardAsync(HttpContext context, string modelId, bool isJson, string? path, string modelName, bool streams)
    {
        // Registered for its whole life: listed by GET /api/requests, ended by cancel, swap timeout or shutdown.
        using var request = requests.Register(context, modelId);
        // The history reads the body's head and the answer's usage/timings as they pass (never holding them).
        request.ObserveBodies();
        if (requests.IsShuttingDown)
        {
            await WriteEndedAsync(context, Activity.RequestEnd.ShuttingDown("no new requests are taken")).ConfigureAwait(false);
            return;
        }
        ModelLease lease;
        LoadingFeed? feed = null;
        try
        {
            // `stream` was found by the model scan; the body stays spooled (memory, then a file) either way.
            if (isJson && path is null && coordinator.Config.Models.TryGetValue(modelId, out var model)
                && LoadingFeed.AppliesTo(context, coordinator.Config.SendsLoadingState(model), streams))
            {
                feed = new LoadingFeed(context, coordinator, client.Invoker, modelId, modelName, time);
                lease = await feed.AcquireAsync(request.Token).ConfigureAwait(false);
            }
            else
            {
                lease = await coordinator.AcquireAsync(modelId, request.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (request.EndReason is { } ended)
        {
            await WriteEndedAsync(context, ended).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client left while its request was queued; nobody to answer
        }
        catch (Exception ex) when (feed is { Started: true } && ex is not OperationCanceledException)
        {
            var error = Api.ErrorMapping.Map(ex);
            await feed.WriteErrorAsync(error.Status, security.Redactor.Redact(error.Message), error.Type, error.Code, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unknown, being deleted, over its limit, failed to start, shutting down: one mapping for all (ErrorMapping).
            // A server's last words may quote its secrets (a key on its command line): redacted.
            await Api.ErrorMapping.WriteAsync(context, ex, security.Redactor).ConfigureAwait(false);
            return;
        }

        await using (lease.ConfigureAwait(false))
        {
            request.MarkForwarding(lease.ProcessId);
            // An upstream's own error responses pass through as they are, empty bodies included.
            if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }
            if (feed is { Started: true })
            {
                await RelayAsync(feed, lease, context).ConfigureAwait(false);
                return;
            }
            if (isJson && RequestBodyRewriter.Rewrites(lease.Model))
            {
                Stream body;
                try
                {
                    // Streamed: the rewrite holds a chunk at a time and spools its output like the request was.
                    body = await RequestBodyRewriter.RewriteAsync(context.Request.Body, lease.Model, context.RequestAborted).ConfigureAwait(false);
                }
                catch (BadRequestException ex)
                {
                    await OpenAiErrors.WriteAsync(context, 400, ex.Message, OpenAiErrorTypes.InvalidRequest, "invalid_request").ConfigureAwait(false);
                    return;
                }
                context.Response.RegisterForDisposeAsync(body);
                context.Request.Body = body;
                context.Request.ContentLength = body.Length;
                context.Request.Headers.TransferEncoding = default;
            }
            var transformer = new UpstreamTransformer(path, upstreamKeys.KeyFor(lease.Model));
            var timeouts = lease.Model.Timeouts;
            var error = await forwarder.SendAsync(context, lease.Proxy.ToString().TrimEnd('/'), client.For(timeouts),
                RequestConfigFor(timeouts), transformer, request.Token).ConfigureAwait(false);
            if (error != ForwarderError.None && request.EndReason is { } ended)
            {
                await WriteEndedAsync(context, ended).ConfigureAwait(false);
            }
            else if (error != ForwarderError.None)
            {
                if (error is not (ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled))
                {
                    request.Failure = $"forwarding to '{modelId}' failed ({error}): {context.GetForwarderErrorFeature()?.Exception?.Message}";
                }
                await WriteForwardErrorAsync(context, modelId, error).ConfigureAwait(false);
            }
        }
    }

    private async Task RelayAsync(LoadingFeed feed, ModelLease lease, HttpContext context)
    {
        try
        {
            var body = context.Request.Body;
            if (RequestBodyRewriter.Rewrites(lease.Model))
            {
                body = await RequestBodyRewriter.RewriteAsync(body, lease.Model, context.RequestAborted).ConfigureAwait(false);
                context.Response.RegisterForDisposeAsync(body);
            }
            await feed.RelayAsync(lease, body, upstreamKeys.KeyFor(lease.Model), context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (BadRequestException ex)
        {
            // The scan checked the body's shape; the rewrite also reads every string (a lone surrogate fails there).
            await feed.WriteErrorAsync(400, ex.Message, OpenAiErrorTypes.InvalidRequest, "invalid_request", context.RequestAborted).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            LogForwardError(lease.ModelId, ForwarderError.Request, ex.Message);
            await feed.WriteErrorAsync(502, $"model '{lease.ModelId}' failed to answer: {ex.Message}", OpenAiErrorTypes.Server, "upstream_error",
                context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task WriteForwardErrorAsync(HttpContext context, string modelId, ForwarderError error)
    {
        var exception = context.GetForwarderErrorFeature()?.Exception;
        if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled)
        {
            return; // the client went away
        }
        if (exception is Microsoft.AspNetCore.Http.BadHttpRequestException bad)
        {
            // The client's body broke the limits (too large: 413, too slow: 408) while it was forwarded.
            await OpenAiErrors.WriteAsync(context, bad.StatusCode, bad.Message, OpenAiErrorTypes.InvalidRequest, RequestLimits.CodeFor(bad.StatusCode)).ConfigureAwait(false);
            return;
        }
        LogForwardError(modelId, error, exception?.Message);
        if (UpstreamTimeoutException.Find(exception) is { } timedOut)
        {
            if (!context.Response.HasStarted)
            {
                await OpenAiErrors.WriteAsync(context, 504, $"model '{modelId}': {timedOut.Message}", OpenAiErrorTypes.Server, timedOut.Code)
                    .ConfigureAwait(false);
            }
            return;
        }
        var (status, code) = error switch
        {
            ForwarderError.RequestTimedOut => (504, "upstream_timeout"),
            _ => (502, "upstream_error"),
        };
        await OpenAiErrors.WriteAsync(context, status,
            $"model '{modelId}' failed to answer ({error}){(exception is null ? "" : ": " + exception.Message)}",
            OpenAiErrorTypes.Server, code).ConfigureAwait(false);
    }

    /// <summary>
    /// A request ModelSwap ended (cancel, swap timeout, shutdown): the envelope when nothing was sent
    /// yet; a stream already under way ends where it was (the forwarder closed it).
    /// </summary>
    private static async Task WriteEndedAsync(HttpContext context, Activity.RequestEnd ended)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        await OpenAiErrors.WriteAsync(context, ended.Status, ended.Message, OpenAiErrorTypes.Unavailable, ended.Code).ConfigureAwait(false);
    }

    /// <summary>
    /// YARP's activity timeout is a backstop only: ModelSwap's own idle timeout (timeouts.idle, see
    /// <see cref="UpstreamTimeoutHandler"/>) ends a silent upstream first, with a clear error.
    /// </summary>
    private static ForwarderRequestConfig RequestConfigFor(Core.Configuration.UpstreamTimeouts timeouts) =>
        timeouts.Idle == TimeSpan.Zero ? RequestConfig : RequestConfig with { ActivityTimeout = timeouts.Idle + TimeSpan.FromSeconds(30) };

    private Task WriteUnknownModelAsync(HttpContext context, string name) =>
        OpenAiErrors.WriteAsync(context, 404, $"model '{name}' is not configured; GET /v1/models lists the models",
            OpenAiErrorTypes.InvalidRequest, "model_not_found");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding to {ModelId} failed: {Error} {Detail}")]
    private partial void LogForwardError(string modelId, ForwarderError error, string? detail);
}
