using Microsoft.Extensions.Logging;

namespace ModelSwap.Gateway.Swapping;

/// <summary>The coordinator's log lines, with structured fields.</summary>
internal static partial class CoordinatorLog
{
    [LoggerMessage(2000, LogLevel.Information, "Starting model {ModelId}")]
    public static partial void Starting(ILogger logger, string modelId);

    [LoggerMessage(2001, LogLevel.Information, "Model {ModelId} is ready (pid {Pid}) after {ElapsedMs:F0} ms")]
    public static partial void Ready(ILogger logger, string modelId, int? pid, double elapsedMs);

    [LoggerMessage(2002, LogLevel.Error, "Model {ModelId} failed to start: {Reason}; failing {Waiters} waiting requests")]
    public static partial void StartFailed(ILogger logger, string modelId, string reason, int waiters, Exception? exception);

    [LoggerMessage(2003, LogLevel.Information, "Cancelling the start of model {ModelId}: {Reason}")]
    public static partial void CancellingStart(ILogger logger, string modelId, string reason);

    [LoggerMessage(2004, LogLevel.Information, "Stopping model {ModelId} (pid {Pid}): {Reason}")]
    public static partial void Stopping(ILogger logger, string modelId, int? pid, string reason);

    [LoggerMessage(2005, LogLevel.Information, "Model {ModelId} stopped")]
    public static partial void Stopped(ILogger logger, string modelId);

    [LoggerMessage(2006, LogLevel.Error, "Stopping model {ModelId} failed; it is treated as stopped")]
    public static partial void StopFailed(ILogger logger, string modelId, Exception exception);

    [LoggerMessage(2007, LogLevel.Warning, "Model {ModelId} (pid {Pid}) exited unexpectedly; the next request starts it again. Last output: {LastLines}")]
    public static partial void Crashed(ILogger logger, string modelId, int? pid, string lastLines);

    [LoggerMessage(2008, LogLevel.Information, "Model {ModelId} idle for its ttl of {Ttl}; unloading")]
    public static partial void TtlExpired(ILogger logger, string modelId, TimeSpan ttl);

    [LoggerMessage(2009, LogLevel.Warning, "Model {ModelId} is at its concurrency limit of {Limit}; request refused")]
    public static partial void ConcurrencyLimit(ILogger logger, string modelId, int limit);

    [LoggerMessage(2010, LogLevel.Debug, "A request waiting for model {ModelId} was cancelled")]
    public static partial void WaiterCancelled(ILogger logger, string modelId);

    [LoggerMessage(2011, LogLevel.Information, "Configuration applied: {Added} added, {Removed} removed, {Changed} changed, {Unchanged} unchanged")]
    public static partial void ConfigApplied(ILogger logger, int added, int removed, int changed, int unchanged);

    [LoggerMessage(2012, LogLevel.Error, "The model coordinator failed to handle {Message}")]
    public static partial void HandlerFailed(ILogger logger, string message, Exception exception);

    [LoggerMessage(2013, LogLevel.Warning, "A StateChanged handler threw")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(2014, LogLevel.Error, "Preloading model {Model} failed")]
    public static partial void PreloadFailed(ILogger logger, string model, Exception exception);

    [LoggerMessage(2015, LogLevel.Information, "Preloaded model {ModelId}")]
    public static partial void Preloaded(ILogger logger, string modelId);

    [LoggerMessage(2016, LogLevel.Information, "Shutting down: stopping {Count} model processes")]
    public static partial void ShuttingDown(ILogger logger, int count);

    [LoggerMessage(2017, LogLevel.Information, "Model {ModelId} start cancelled")]
    public static partial void StartCancelled(ILogger logger, string modelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Swap to {WaitingFor} waited {Seconds:0.#} s for {InFlight} requests in flight on {ModelId} (swapWaitTimeout); ending them")]
    public static partial void SwapWaitExpired(ILogger logger, string modelId, string waitingFor, double seconds, int inFlight);
}
