using Microsoft.Extensions.Logging;
using ModelSwap.Gateway.Processes;
using static ModelSwap.Gateway.Swapping.CoordinatorMessage;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// The state transitions of one model's run: Stopped → Starting → Ready → Stopping → Stopped. Process
/// starts and stops run as tasks off the loop and report back as messages; everything else runs on
/// the coordinator's loop, called by <see cref="SwapScheduler"/>.
/// </summary>
internal sealed class RunLifecycle
{
    private readonly IModelProcessFactory _factory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<CoordinatorMessage> _post;

    public RunLifecycle(IModelProcessFactory factory, TimeProvider time, ILogger logger, Action<CoordinatorMessage> post)
    {
        _factory = factory;
        _time = time;
        _logger = logger;
        _post = post;
    }

    /// <summary>Starts a stopped model; returns the error when its process cannot even be created.</summary>
    public ModelStartException? TryStart(ModelEntry entry)
    {
        IModelProcess process;
        try
        {
            process = _factory.Create(entry.Model);
        }
        catch (Exception ex)
        {
            return new ModelStartException(entry.Id, $"model '{entry.Id}' could not be started: {ex.Message}", [], ex);
        }
        var run = new ModelRun(entry, entry.Model, process, _time.GetTimestamp());
        process.LoadProgressChanged += () => _post(new LoadProgressed(run));
        entry.Run = run;
        entry.State = ModelState.Starting;
        CoordinatorLog.Starting(_logger, entry.Id);
        // Off the loop: even the synchronous part of a start (spawning) must not hold up other models.
        _ = Task.Run(async () =>
        {
            Exception? error = null;
            try
            {
                await process.StartAsync(run.StartCancellation.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                error = ex;
            }
            _post(new StartCompleted(run, error));
        });
        return null;
    }

    /// <summary>
    /// Handles the end of a start. Returns the error to fail the model's waiting requests with, or null
    /// when the model is ready or when the loop itself gave up on the start (its waiters stay queued).
    /// </summary>
    public ModelStartException? OnStartCompleted(ModelRun run, Exception? error)
    {
        var entry = run.Entry;
        if (entry.Run != run || entry.State != ModelState.Starting)
        {
            return null;
        }
        if (error is null)
        {
            entry.State = ModelState.Ready;
            entry.ReadySince = _time.GetUtcNow();
            CoordinatorLog.Ready(_logger, entry.Id, run.Process.ProcessId, _time.GetElapsedTime(run.StartedAt).TotalMilliseconds);
            // Watched only once ready: a process that dies while starting fails StartAsync instead.
            run.Process.Exited.ContinueWith(
                _ => _post(new ProcessExited(run)),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return null;
        }
        if (run.StartCancelledByUs)
        {
            CoordinatorLog.StartCancelled(_logger, entry.Id);
            BeginStop(entry, "start cancelled");
            return null;
        }
        // The contract says a failed start leaves no process; stopping anyway makes sure of it.
        BeginStop(entry, "start failed");
        return error as ModelStartException ?? new ModelStartException(
            entry.Id, $"model '{entry.Id}' failed to start: {error.Message}", run.Process.Logs.Snapshot(20), error);
    }

    /// <summary>Stops a ready model with no request in flight (any, when forced), or gives up on a start.</summary>
    public void StopWhenIdle(ModelEntry entry, string reason, bool force)
    {
        switch (entry.State)
        {
            case ModelState.Starting when !entry.Run!.StartCancelledByUs:
                CoordinatorLog.CancellingStart(_logger, entry.Id, reason);
                entry.Run.StartCancelledByUs = true;
                // CancelAsync: the process's cancellation callbacks must not run on the loop.
                _ = entry.Run.StartCancellation.CancelAsync();
                break;
            case ModelState.Ready when entry.InFlight == 0 || force:
                BeginStop(entry, reason);
                break;
        }
    }

    /// <summary>A ready process exited on its own: clean up, so the next request starts it again.</summary>
    public void OnProcessExited(ModelRun run)
    {
        var entry = run.Entry;
        if (entry.Run != run || entry.State != ModelState.Ready)
        {
            return; // an exit we asked for, or a stale run
        }
        CoordinatorLog.Crashed(_logger, entry.Id, run.Process.ProcessId, string.Join(" | ", run.Process.Logs.Snapshot(5)));
        // In-flight requests of the dead process fail on their own; cleaning up must not wait for them.
        BeginStop(entry, "exited unexpectedly");
    }

    /// <summary>Handles the end of a stop; true when the entry is now Stopped.</summary>
    public bool OnStopCompleted(ModelRun run, Exception? error)
    {
        run.Ended = true;
        var entry = run.Entry;
        if (entry.Run != run)
        {
            return false;
        }
        if (error is null)
        {
            CoordinatorLog.Stopped(_logger, entry.Id);
        }
        else
        {
            CoordinatorLog.StopFailed(_logger, entry.Id, error);
        }
        entry.State = ModelState.Stopped;
        entry.Run = null;
        entry.ReadySince = null;
        entry.StopRequested = false;
        entry.StopReason = null;
        return true;
    }

    private void BeginStop(ModelEntry entry, string reason)
    {
        var run = entry.Run!;
        entry.State = ModelState.Stopping;
        entry.CancelTtl();
        CoordinatorLog.Stopping(_logger, entry.Id, run.Process.ProcessId, reason);
        _ = Task.Run(async () =>
        {
            Exception? error = null;
            try
            {
                // Never cancelled: a half-done stop could leave a process holding memory and its port;
                // the process itself escalates to killing its tree after the unload timeout.
                await run.Process.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                error = ex;
            }
            try
            {
                await run.Process.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                error ??= ex;
            }
            _post(new StopCompleted(run, error));
        });
    }
}
