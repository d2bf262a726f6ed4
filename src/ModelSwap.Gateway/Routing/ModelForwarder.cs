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
public sealed partial class ModelForwarder(
    ModelCoordinator coordinator,
    IHttpForwarder forwarder,
    ForwardingClient client,
    GatewayMetrics metrics,
    Activity.InFlightRequests requests,
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
            await OpenAiErrors.WriteAsync(context, 400, ex.Message, OpenAiErrorTypes.InvalidRequest, "invalid_request").ConfigureAwait(false);
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
        await ForwardAsync(context, modelId, request.JsonBody, path: null).ConfigureAwait(false);
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
        await ForwardAsync(context, match.Value.ModelId, jsonBody: null, match.Value.Path).ConfigureAwait(false);
    }

    private async Task ForwardAsync(HttpContext context, string modelId, byte[]? jsonBody, string? path)
    {
        var started = GatewayMetrics.Now();
        try
        {
            await LeaseAndForwardAsync(context, modelId, jsonBody, path).ConfigureAwait(false);
        }
        finally
        {
            metrics.RecordRequest(modelId, context.Response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task LeaseAndForwardAsync(HttpContext context, string modelId, byte[]? jsonBody, string? path)
    {
        // Registered for its whole life: listed by GET /api/requests, ended by cancel, swap timeout or shutdown.
        using var request = requests.Register(context, modelId);
        if (requests.IsShuttingDown)
        {
            await WriteEndedAsync(context, Activity.RequestEnd.ShuttingDown("no new requests are taken")).ConfigureAwait(false);
            return;
        }
        ModelLease lease;
        try
        {
            lease = await coordinator.AcquireAsync(modelId, request.Token).ConfigureAwait(false);
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
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unknown, being deleted, over its limit, failed to start, shutting down: one mapping for all (ErrorMapping).
            await Api.ErrorMapping.WriteAsync(context, ex).ConfigureAwait(false);
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
            if (jsonBody is not null)
            {
                var body = RequestBodyRewriter.Rewrite(jsonBody, lease.Model);
                context.Request.Body = new MemoryStream(body, writable: false);
                context.Request.ContentLength = body.Length;
                context.Request.Headers.TransferEncoding = default;
            }
            var transformer = path is null ? HttpTransformer.Default : new PathTransformer(path);
            var timeouts = lease.Model.Timeouts;
            var error = await forwarder.SendAsync(context, lease.Proxy.ToString().TrimEnd('/'), client.For(timeouts),
                RequestConfigFor(timeouts), transformer, request.Token).ConfigureAwait(false);
            if (error != ForwarderError.None && request.EndReason is { } ended)
            {
                await WriteEndedAsync(context, ended).ConfigureAwait(false);
            }
            else if (error != ForwarderError.None)
            {
                await WriteForwardErrorAsync(context, modelId, error).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteForwardErrorAsync(HttpContext context, string modelId, ForwarderError error)
    {
        var exception = context.GetForwarderErrorFeature()?.Exception;
        if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled)
        {
            return; // the client went away
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
