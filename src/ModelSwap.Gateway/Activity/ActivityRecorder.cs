using Microsoft.Extensions.Logging;

namespace ModelSwap.Gateway.Activity;

/// <summary>
/// Turns a request that ended into its history row (status, outcome, timings, tokens, excerpts) and
/// hands it to the <see cref="ActivityWriter"/>'s queue: no I/O here, and nothing it does can fail or
/// delay the request.
/// </summary>
internal sealed partial class ActivityRecorder(ActivityWriter writer, TimeProvider time, ILogger<ActivityRecorder> logger)
{
    internal void Record(InFlightRequest request)
    {
        try
        {
            request.Response.Complete();
            if (!writer.TryRecord(Build(request, time.GetUtcNow())))
            {
                LogDropped(request.Id);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRecordFailed(request.Id, ex);
        }
    }

    internal static ActivityDetail Build(InFlightRequest request, DateTimeOffset now)
    {
        var context = request.Context;
        var response = request.Response;
        var facts = response.Facts;
        var status = context.Response.StatusCode;
        var (outcome, error) = request.EndReason is { } ended ? ("cancelled", ended.Message)
            : context.RequestAborted.IsCancellationRequested ? ("client_left", "the client closed the connection before the answer ended")
            : request.Failure is { } failure ? ("failed", failure)
            : status >= 400 ? ("failed", response.Head)
            : ("completed", null);
        var generated = facts.GeneratedTokens;
        var entry = new ActivityEntry(0, request.Started, request.Model, request.Route, request.Client, request.UserAgent, status, outcome,
            (now - request.Started).TotalMilliseconds, TimeToFirstToken(request), facts.PromptTokenCount, generated,
            TokensPerSecond(facts, generated, now), response.Streamed);
        var text = facts.Text;
        return text.Length > 0 || facts.Pieces > 0
            ? new ActivityDetail(entry, request.RequestBody.Text, request.RequestBody.Truncated, text, facts.TextTruncated, error)
            : new ActivityDetail(entry, request.RequestBody.Text, request.RequestBody.Truncated, response.Head, response.HeadTruncated, error);
    }

    /// <summary>
    /// A stream: when its first piece of text passed. A whole answer: the wait for the model plus the
    /// upstream's own prompt time (llama-server's timings.prompt_ms); otherwise unknown.
    /// </summary>
    private static double? TimeToFirstToken(InFlightRequest request)
    {
        var facts = request.Response.Facts;
        if (request.Response.Streamed && facts.FirstPieceAt is { } first)
        {
            return (first - request.Started).TotalMilliseconds;
        }
        if (facts.PromptMs is { } promptMs && request.Forwarded is { } forwarded)
        {
            return (forwarded - request.Started).TotalMilliseconds + promptMs;
        }
        return null;
    }

    /// <summary>The upstream's own speed when it reports one (timings), else tokens over the time they streamed.</summary>
    private static double? TokensPerSecond(GenerationFacts facts, int? generated, DateTimeOffset now)
    {
        if (facts.PredictedPerSecond is > 0 and var reported)
        {
            return reported;
        }
        if (facts is { PredictedN: > 0, PredictedMs: > 0 })
        {
            return facts.PredictedN.Value * 1000.0 / facts.PredictedMs.Value;
        }
        if (generated is > 1 && facts.FirstPieceAt is { } first && now > first)
        {
            // The first token's time is the prompt's; the speed of generation is the rest over their time.
            return (generated.Value - 1) / (now - first).TotalSeconds;
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The history's queue is full: request {RequestId} is not recorded")]
    private partial void LogDropped(string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} could not be recorded in the history")]
    private partial void LogRecordFailed(string requestId, Exception exception);
}
