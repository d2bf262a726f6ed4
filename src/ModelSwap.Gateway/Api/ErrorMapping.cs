using Microsoft.AspNetCore.Http;
using ModelSwap.Core.OpenAi;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Processes;
using ModelSwap.Gateway.Routing;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Hub.Downloads;
using ModelSwap.Hub.HuggingFace;
using ModelSwap.Hub.Store;

namespace ModelSwap.Gateway.Api;

/// <summary>
/// The one mapping from failure kinds to HTTP statuses and OpenAI error envelopes, used by the
/// app's exception handler (every /api endpoint lets failures propagate to it) and by the request
/// path, which must answer before YARP takes over the response.
/// </summary>
internal static class ErrorMapping
{
    public static ApiError Map(Exception exception) => exception switch
    {
        InvalidSettingsException e => new(400, OpenAiErrorTypes.InvalidRequest, "invalid_settings", e.Message),
        ManagementException e => new(StatusOf(e.Failure), TypeOf(e.Failure), e.Code, e.Message),
        UnknownModelException e => new(404, OpenAiErrorTypes.InvalidRequest, "model_not_found", $"{e.Message}; GET /v1/models lists the models"),
        ModelRetiringException e => new(409, OpenAiErrorTypes.InvalidRequest, "model_being_deleted", e.Message),
        ConcurrencyLimitExceededException e => new(429, OpenAiErrorTypes.RateLimit, "concurrency_limit", e.Message, e.RetryAfter),
        ModelStartException e => new(e.TimedOut ? 504 : 502, OpenAiErrorTypes.Server, e.TimedOut ? "upstream_start_timeout" : "upstream_start_failed", StartMessage(e)),
        CoordinatorStoppedException e => new(503, OpenAiErrorTypes.Unavailable, "shutting_down", e.Message),
        ModelMemoryException e => new(503, OpenAiErrorTypes.Unavailable, "insufficient_memory", e.Message),
        ModelStoreException e => new(409, OpenAiErrorTypes.InvalidRequest, "outside_models_dir", e.Message),
        // Hub failures that escape a path outside IModelHub are said in the management layer's words too.
        HubException or DownloadException or HttpRequestException => Map(HubFailures.Translate(exception, null, CancellationToken.None)!),
        BadRequestException e => new(400, OpenAiErrorTypes.InvalidRequest, "invalid_request", e.Message),
        // The client's fault (body over the limit: 413, too slow: 408), never a 500.
        BadHttpRequestException e => new(e.StatusCode, OpenAiErrorTypes.InvalidRequest, Hosting.RequestLimits.CodeFor(e.StatusCode), e.Message),
        // Argument checks of names the client sent (repo names, file paths) are the only ArgumentExceptions that reach here.
        ArgumentException e => new(400, OpenAiErrorTypes.InvalidRequest, "invalid_request", e.Message),
        _ => new(500, OpenAiErrorTypes.Server, "internal_error", $"internal error: {exception.Message}"),
    };

    private static int StatusOf(ManagementFailure failure) => failure switch
    {
        ManagementFailure.InvalidRequest => 400,
        ManagementFailure.NotFound => 404,
        ManagementFailure.Conflict => 409,
        ManagementFailure.Forbidden => 403,
        ManagementFailure.RateLimited => 429,
        ManagementFailure.Upstream => 502,
        ManagementFailure.InsufficientStorage => 507,
        _ => 500,
    };

    private static string TypeOf(ManagementFailure failure) => failure switch
    {
        ManagementFailure.InvalidRequest or ManagementFailure.NotFound or ManagementFailure.Conflict => OpenAiErrorTypes.InvalidRequest,
        ManagementFailure.Forbidden => OpenAiErrorTypes.Permission,
        ManagementFailure.RateLimited => OpenAiErrorTypes.RateLimit,
        _ => OpenAiErrorTypes.Server,
    };

    /// <summary>The process owner usually puts the last output in the message already; it is added only when missing.</summary>
    private static string StartMessage(ModelStartException e) =>
        e.LastLogLines.Count == 0 || e.Message.Contains(e.LastLogLines[^1], StringComparison.Ordinal)
            ? e.Message
            : e.Message + "; last output:\n" + string.Join('\n', e.LastLogLines.TakeLast(20));

    /// <summary>Writes the mapped envelope (headers permitting).</summary>
    public static Task WriteAsync(HttpContext context, Exception exception, Core.Configuration.SecretRedactor? redactor = null)
    {
        var error = Map(exception);
        var message = redactor is null ? error.Message : redactor.Redact(error.Message);
        return OpenAiErrors.WriteAsync(context, error.Status, message, error.Type, error.Code, error.RetryAfter);
    }
}
