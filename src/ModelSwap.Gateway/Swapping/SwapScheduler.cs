using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Processes;
using static ModelSwap.Gateway.Swapping.CoordinatorMessage;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// The state behind <see cref="ModelCoordinator"/>: which model runs, who waits, what stops. Every
/// member runs on the coordinator's single loop, one message at a time, so nothing here is locked;
/// the rest of the process sees only the published <see cref="Status"/> and <see cref="Config"/>.
/// After each message the queue is pumped: the head group (oldest first arrival) gets its evictions
/// drained and stopped, then its model started, then all its requests served together.
/// </summary>
internal sealed class SwapScheduler
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly IModelProcessFactory _factory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<CoordinatorMessage> _post;
    private readonly Action<ModelRun> _release;
    private readonly Action<ModelStatus> _stateChanged;
    private readonly SortedDictionary<string, ModelEntry> _entries = new(StringComparer.Ordinal);
    private readonly WaitQueue _queue = new();
    private readonly List<(HashSet<ModelRun> Runs, TaskCompletionSource Done)> _pendingStops = [];
    private ModelSwapConfig _config;
    private IReadOnlyList<ModelStatus> _status = ImmutableArray<ModelStatus>.Empty;
    private bool _entriesChanged = true;
    private bool _shuttingDown;

    public SwapScheduler(
        IModelProcessFactory factory,
        TimeProvider time,
        ILogger logger,
        ModelSwapConfig config,
        Action<CoordinatorMessage> post,
        Action<ModelRun> release,
        Action<ModelStatus> stateChanged)
    {
        _factory = factory;
        _time = time;
        _logger = logger;
        _config = config;
        _post = post;
        _release = release;
        _stateChanged = stateChanged;
        foreach (var model in config.Models.Values)
        {
            _entries.Add(model.Id, new ModelEntry(model));
        }
        Publish();
    }

    public ModelSwapConfig Config => Volatile.Read(ref _config);

    public IReadOnlyList<ModelStatus> Status => Volatile.Read(ref _status);

    public void Handle(CoordinatorMessage message)
    {
        try
        {
            Dispatch(message);
            Pump();
            SettleTtl();
            CompletePendingStops();
        }
        catch (Exception ex)
        {
            // The loop must survive a bug in one handler; whoever awaits this message learns of it.
            CoordinatorLog.HandlerFailed(_logger, message.GetType().Name, ex);
            FailMessage(message, ex);
        }
        finally
        {
            Publish();
            if (message is Flush flush)
            {
                flush.Done.TrySetResult();
            }
        }
    }

    private void Dispatch(CoordinatorMessage message)
    {
        switch (message)
        {
            case Acquire m: OnAcquire(m.Waiter); break;
            case CancelWaiter m: OnCancel(m.Waiter); break;
            case Release m: OnRelease(m.Run); break;
            case StartCompleted m: OnStartCompleted(m.Run, m.Error); break;
            case StopCompleted m: OnStopCompleted(m.Run, m.Error); break;
            case ProcessExited m: OnProcessExited(m.Run); break;
            case TtlExpired m: OnTtlExpired(m.ModelId, m.Generation); break;
            case Unload m: OnUnload(m.ModelId, m.Done); break;
            case ApplyConfig m: OnApplyConfig(m.Next, m.Done); break;
            case StopAll m: OnStopAll(m.Done); break;
            case Flush: break;
            default: throw new InvalidOperationException($"unknown message {message.GetType().Name}");
        }
    }

    private void OnAcquire(Waiter waiter)
    {
        var id = waiter.ModelId;
        if (_shuttingDown)
        {
            waiter.Fail(new CoordinatorStoppedException());
            return;
        }
        if (waiter.CancellationToken.IsCancellationRequested)
        {
            // Cancelled before this message was read: its CancelWaiter came first and found nothing.
            waiter.Cancel();
            return;
        }
        if (!_entries.TryGetValue(id, out var entry) || !entry.InConfig)
        {
            waiter.Fail(new UnknownModelException(id));
            return;
        }
        var limit = entry.Model.ConcurrencyLimit;
        if (limit > 0 && entry.InFlight + _queue.CountFor(id) >= limit)
        {
            CoordinatorLog.ConcurrencyLimit(_logger, id, limit);
            waiter.Fail(new ConcurrencyLimitExceededException(id, limit, RetryAfter));
            return;
        }
        entry.CancelTtl();
        _queue.Enqueue(waiter);
    }

    private void OnCancel(Waiter waiter)
    {
        if (_queue.Remove(waiter))
        {
            CoordinatorLog.WaiterCancelled(_logger, waiter.ModelId);
            waiter.Cancel();
        }
    }

    private void OnRelease(ModelRun run)
    {
        run.InFlight--;
        if (run.Entry.Run == run)
        {
            run.Entry.LastUsed = _time.GetUtcNow();
        }
    }

    private void OnStartCompleted(ModelRun run, Exception? error)
    {
        var entry = run.Entry;
        if (entry.Run != run || entry.State != ModelState.Starting)
        {
            return;
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
            return;
        }
        if (run.StartCancelledByUs)
        {
            // We gave up on this start (eviction, unload, shutdown); its waiters stay queued.
            CoordinatorLog.StartCancelled(_logger, entry.Id);
            BeginStop(entry, "start cancelled");
            return;
        }
        var failure = error as ModelStartException ?? new ModelStartException(
            entry.Id, $"model '{entry.Id}' failed to start: {error.Message}", run.Process.Logs.Snapshot(20), error);
        FailGroup(entry.Id, failure);
        // The contract says a failed start leaves no process; stopping anyway makes sure of it.
        BeginStop(entry, "start failed");
    }

    private void OnStopCompleted(ModelRun run, Exception? error)
    {
        run.Ended = true;
        var entry = run.Entry;
        if (entry.Run != run)
        {
            return;
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
        if (!entry.InConfig)
        {
            _entries.Remove(entry.Id);
            _entriesChanged = true;
        }
    }

    private void OnProcessExited(ModelRun run)
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

    private void OnTtlExpired(string modelId, long generation)
    {
        if (!_entries.TryGetValue(modelId, out var entry) || entry.TtlTimer is null || entry.TtlGeneration != generation)
        {
            return; // replaced or cancelled after it fired
        }
        entry.CancelTtl();
        if (entry.State == ModelState.Ready && entry.InFlight == 0 && !_queue.Has(modelId))
        {
            CoordinatorLog.TtlExpired(_logger, modelId, _config.TtlOf(entry.Model));
            entry.RequestStop("ttl expired");
        }
    }

    private void OnUnload(string? modelId, TaskCompletionSource done)
    {
        List<ModelEntry> targets;
        if (modelId is null)
        {
            targets = [.. _entries.Values.Where(e => e.State != ModelState.Stopped)];
        }
        else if (!_entries.TryGetValue(modelId, out var entry))
        {
            done.TrySetException(new UnknownModelException(modelId));
            return;
        }
        else
        {
            targets = entry.State == ModelState.Stopped ? [] : [entry];
        }
        foreach (var target in targets)
        {
            target.RequestStop("unload requested");
        }
        _pendingStops.Add(([.. targets.Select(t => t.Run!)], done));
    }

    private void OnApplyConfig(ModelSwapConfig next, TaskCompletionSource<ConfigDiff> done)
    {
        var previous = _config;
        var diff = ConfigDiff.Compute(previous, next);
        Volatile.Write(ref _config, next);
        foreach (var id in diff.Removed)
        {
            var entry = _entries[id];
            entry.InConfig = false;
            FailGroup(id, new UnknownModelException(id, $"model '{id}' was removed from the configuration"));
            if (entry.State == ModelState.Stopped)
            {
                _entries.Remove(id);
                _entriesChanged = true;
            }
            else
            {
                entry.RequestStop("removed from the configuration");
            }
        }
        foreach (var id in diff.Changed)
        {
            var entry = _entries[id];
            entry.Model = next.Models[id];
            if (entry.State != ModelState.Stopped)
            {
                entry.RequestStop("definition changed");
            }
        }
        foreach (var id in diff.Unchanged)
        {
            var entry = _entries[id];
            if (previous.TtlOf(entry.Model) != next.TtlOf(next.Models[id]))
            {
                entry.CancelTtl(); // re-armed with the new TTL below
            }
            entry.Model = next.Models[id]; // names, filters, TTL, limits apply at once; the process stays
        }
        foreach (var id in diff.Added)
        {
            if (_entries.TryGetValue(id, out var retiring))
            {
                // Removed earlier and still stopping: it restarts with the new definition once stopped.
                retiring.InConfig = true;
                retiring.Model = next.Models[id];
            }
            else
            {
                _entries.Add(id, new ModelEntry(next.Models[id]));
                _entriesChanged = true;
            }
        }
        CoordinatorLog.ConfigApplied(_logger, diff.Added.Length, diff.Removed.Length, diff.Changed.Length, diff.Unchanged.Length);
        done.TrySetResult(diff);
    }

    private void OnStopAll(TaskCompletionSource done)
    {
        if (!_shuttingDown)
        {
            _shuttingDown = true;
            var error = new CoordinatorStoppedException();
            foreach (var group in _queue.TakeAll())
            {
                group.Waiters.ForEach(w => w.Fail(error));
            }
        }
        var targets = _entries.Values.Where(e => e.State != ModelState.Stopped).ToList();
        CoordinatorLog.ShuttingDown(_logger, targets.Count);
        foreach (var target in targets)
        {
            target.RequestStop("shutting down");
        }
        _pendingStops.Add(([.. targets.Select(t => t.Run!)], done));
    }

    /// <summary>Moves the queue on as far as it can go now. See the class summary.</summary>
    private void Pump()
    {
        var headEvictions = ImmutableArray<string>.Empty;
        while (!_shuttingDown && _queue.Head is { } head)
        {
            var entry = _entries[head.ModelId];
            var evictions = SwapPolicy.EvictionsFor(entry.Id, RunningExcept(entry.Id), _config);
            if (entry.State == ModelState.Ready && !entry.StopRequested)
            {
                // Served at once. Like llama-swap, the group rules apply on every request, not only on
                // starts; the evicted (rare: only after a reload changed groups) stop when idle.
                foreach (var id in evictions)
                {
                    _entries[id].RequestStop($"evicted by {entry.Id}");
                }
                GrantGroup(_queue.Take(entry.Id)!, entry);
                continue;
            }
            // Until the head is served, its evictions take no new requests; they stop once idle. If the
            // head's requests all go away first, the evicted models simply keep running.
            headEvictions = evictions;
            foreach (var id in evictions)
            {
                StopWhenIdle(_entries[id], $"evicted by {entry.Id}");
            }
            if (evictions.IsEmpty && entry.State == ModelState.Stopped && !TryStart(entry))
            {
                continue; // the head failed at once; the next group becomes head
            }
            break;
        }
        foreach (var entry in _entries.Values)
        {
            if (entry.StopRequested)
            {
                StopWhenIdle(entry, entry.StopReason ?? "stop requested");
            }
        }
        if (_shuttingDown)
        {
            return;
        }
        // Later groups whose model is ready and touches nobody (e.g. a persistent embedder) need not
        // wait behind a swap.
        foreach (var group in _queue.Snapshot().Skip(1))
        {
            var entry = _entries[group.ModelId];
            if (entry.State == ModelState.Ready && !entry.StopRequested && !headEvictions.Contains(entry.Id)
                && SwapPolicy.EvictionsFor(entry.Id, RunningExcept(entry.Id), _config).IsEmpty)
            {
                GrantGroup(_queue.Take(entry.Id)!, entry);
            }
        }
    }

    private List<string> RunningExcept(string modelId)
    {
        var running = new List<string>();
        foreach (var entry in _entries.Values)
        {
            if (entry.State != ModelState.Stopped && !string.Equals(entry.Id, modelId, StringComparison.Ordinal))
            {
                running.Add(entry.Id);
            }
        }
        return running;
    }

    private void GrantGroup(WaitGroup group, ModelEntry entry)
    {
        var run = entry.Run!;
        foreach (var waiter in group.Waiters)
        {
            run.InFlight++;
            waiter.Grant(new ModelLease(entry.Model, run, _release));
        }
        entry.LastUsed = _time.GetUtcNow();
        entry.CancelTtl();
    }

    private void FailGroup(string modelId, Exception error)
    {
        var group = _queue.Take(modelId);
        if (error is ModelStartException)
        {
            CoordinatorLog.StartFailed(_logger, modelId, error.Message, group?.Waiters.Count ?? 0, error.InnerException);
        }
        group?.Waiters.ForEach(w => w.Fail(error));
    }

    private bool TryStart(ModelEntry entry)
    {
        IModelProcess process;
        try
        {
            process = _factory.Create(entry.Model);
        }
        catch (Exception ex)
        {
            FailGroup(entry.Id, new ModelStartException(
                entry.Id, $"model '{entry.Id}' could not be started: {ex.Message}", [], ex));
            return false;
        }
        var run = new ModelRun(entry, entry.Model, process, _time.GetTimestamp());
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
        return true;
    }

    /// <summary>Stops a ready model with no request in flight, or gives up on a start nobody may use.</summary>
    private void StopWhenIdle(ModelEntry entry, string reason)
    {
        switch (entry.State)
        {
            case ModelState.Starting when !entry.Run!.StartCancelledByUs:
                CoordinatorLog.CancellingStart(_logger, entry.Id, reason);
                entry.Run.StartCancelledByUs = true;
                // CancelAsync: the process's cancellation callbacks must not run on the loop.
                _ = entry.Run.StartCancellation.CancelAsync();
                break;
            case ModelState.Ready when entry.InFlight == 0 || _shuttingDown:
                BeginStop(entry, reason);
                break;
        }
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

    /// <summary>Arms a TTL timer for every idle ready model that has a TTL, and disarms the rest.</summary>
    private void SettleTtl()
    {
        foreach (var entry in _entries.Values)
        {
            var ttl = entry.InConfig ? _config.TtlOf(entry.Model) : TimeSpan.Zero;
            var idle = !_shuttingDown && entry.State == ModelState.Ready && entry.InFlight == 0
                && !entry.StopRequested && !_queue.Has(entry.Id) && ttl > TimeSpan.Zero;
            if (!idle)
            {
                entry.CancelTtl();
            }
            else if (entry.TtlTimer is null)
            {
                var generation = ++entry.TtlGeneration;
                var id = entry.Id;
                entry.TtlTimer = _time.CreateTimer(
                    _ => _post(new TtlExpired(id, generation)), null, ttl, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void CompletePendingStops()
    {
        for (var i = _pendingStops.Count - 1; i >= 0; i--)
        {
            var (runs, done) = _pendingStops[i];
            runs.RemoveWhere(r => r.Ended);
            if (runs.Count == 0)
            {
                _pendingStops.RemoveAt(i);
                done.TrySetResult();
            }
        }
    }

    private void Publish()
    {
        var changed = _entriesChanged;
        _entriesChanged = false;
        foreach (var entry in _entries.Values)
        {
            var old = entry.Published;
            var queued = _queue.CountFor(entry.Id);
            var pid = entry.Run?.Process.ProcessId;
            if (old is not null && old.State == entry.State && old.InFlight == entry.InFlight && old.Queued == queued
                && old.Pid == pid && old.ReadySince == entry.ReadySince && old.LastUsed == entry.LastUsed)
            {
                continue;
            }
            var status = new ModelStatus(entry.Id, entry.State, entry.InFlight, queued, pid, entry.ReadySince, entry.LastUsed);
            entry.Published = status;
            changed = true;
            if (old is null ? status.State != ModelState.Stopped : old.State != status.State)
            {
                _stateChanged(status);
            }
        }
        if (changed)
        {
            Volatile.Write(ref _status, _entries.Values.Select(e => e.Published!).ToImmutableArray());
        }
    }

    private static void FailMessage(CoordinatorMessage message, Exception error)
    {
        switch (message)
        {
            case Acquire m: m.Waiter.Fail(error); break;
            case Unload m: m.Done.TrySetException(error); break;
            case ApplyConfig m: m.Done.TrySetException(error); break;
            case StopAll m: m.Done.TrySetException(error); break;
        }
    }
}
