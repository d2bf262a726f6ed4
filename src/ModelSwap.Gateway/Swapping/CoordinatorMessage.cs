using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// Everything that changes what runs is one of these, handled in order by the coordinator's single
/// loop. Process starts and stops run as tasks whose completions come back as messages.
/// </summary>
internal abstract record CoordinatorMessage
{
    internal sealed record Acquire(Waiter Waiter) : CoordinatorMessage;

    internal sealed record CancelWaiter(Waiter Waiter) : CoordinatorMessage;

    internal sealed record Release(ModelRun Run) : CoordinatorMessage;

    internal sealed record StartCompleted(ModelRun Run, Exception? Error) : CoordinatorMessage;

    internal sealed record StopCompleted(ModelRun Run, Exception? Error) : CoordinatorMessage;

    internal sealed record ProcessExited(ModelRun Run) : CoordinatorMessage;

    /// <summary>A starting process reported load progress: only the published status changes.</summary>
    internal sealed record LoadProgressed(ModelRun Run) : CoordinatorMessage;

    internal sealed record TtlExpired(string ModelId, long Generation) : CoordinatorMessage;

    internal sealed record SetKeepAlive(string ModelId, TimeSpan KeepAlive) : CoordinatorMessage;

    internal sealed record Unload(string? ModelId, TaskCompletionSource Done) : CoordinatorMessage;

    internal sealed record ApplyConfig(ModelSwapConfig Next, TaskCompletionSource<ConfigDiff> Done) : CoordinatorMessage;

    internal sealed record StopAll(TaskCompletionSource Done) : CoordinatorMessage;

    /// <summary>A measurement of a model's process tree (and its load progress while starting).</summary>
    internal sealed record MemoryMeasured(string ModelId, int Pid, MeasuredMemory Memory, double? LoadProgress) : CoordinatorMessage;

    internal sealed record SwapWaitExpired(string ModelId, long Generation) : CoordinatorMessage;

    /// <summary>Take the models out of service for good and run an action (deleting their files) once they are stopped.</summary>
    internal sealed record Retire(Retirement Retirement) : CoordinatorMessage;

    internal sealed record RetireCompleted(Retirement Retirement, Exception? Error) : CoordinatorMessage;

    /// <summary>Completes once every message posted before it has been handled.</summary>
    internal sealed record Flush(TaskCompletionSource Done) : CoordinatorMessage;
}
