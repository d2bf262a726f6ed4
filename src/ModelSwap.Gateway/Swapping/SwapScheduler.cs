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

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<ModelRun> _release;
    private readonly RunLifecycle _lifecycle;
    private readonly StatusBoard _status;
    private readonly IdleTimers _timers;
    private readonly MemoryGate _memory;
    private readonly Retirements _retirements;
    private readonly SortedDictionary<string, ModelEntry> _entries = new(StringComparer.Ordinal);
    private readonly WaitQueue _queue = new();
    private readonly List<(HashSet<ModelRun> Runs, TaskCompletionSource Done)> _pendingStops = [];
    private ModelSwapConfig _config;
    private bool _shuttingDown;
    private readonly SwapWaitTimers _swapWaits;
    // The head of the queue and the models it waits to stop, as of the last pump (for _swapWaits).
    private string? _swapHead;
    private ImmutableArray<string> _swapEvictions = [];

    public SwapScheduler(
        IModelProcessFactory factory,
        TimeProvider time,
        ILogger logger,
        ModelSwapConfig config,
        Action<CoordinatorMessage> post,
        Action<ModelRun> release,
        Action<ModelStatus> stateChanged,
        SystemMemory system,
        Action<string, string, TimeSpan>? inFlightOverdue = null,
        Action<ModelStatus>? progressChanged = null)
    {
        _swapWaits = new SwapWaitTimers(time, logger, post, inFlightOverdue ?? ((_, _, _) => { }));
        _time = time;
        _logger = logger;
        _config = config;
        _release = release;
        _lifecycle = new RunLifecycle(factory, time, logger, post);
        _status = new StatusBoard(stateChanged, progressChanged);
        _timers = new IdleTimers(time, logger, post);
        _memory = new MemoryGate(system);
        _retirements = new Retirements(post);
        foreach (var model in config.Models.Values)
        {
            _entries.Add(model.Id, new ModelEntry(model));
        }
        _status.Publish(_entries.Values, _queue, _memory, _config);
    }

    public ModelSwapConfig Config => Volatile.Read(ref _config);

    public IReadOnlyList<ModelStatus> Status => _status.Current;

    public void Handle(CoordinatorMessage message)
    {
        try
        {
            Dispatch(message);
            Pump();
            _timers.Settle(_entries.Values, _queue, _config, _shuttingDown);
            _swapWaits.Settle(_shuttingDown ? null : _swapHead, _swapEvictions, _entries, _config.SwapWaitTimeout);
            CompletePendingStops();
            _retirements.Settle();
        }
        catch (Exception ex)
        {
            // The loop must survive a bug in one handler; whoever awaits this message learns of it.
            CoordinatorLog.HandlerFailed(_logger, message.GetType().Name, ex);
            FailMessage(message, ex);
        }
        finally
        {
            _status.Publish(_entries.Values, _queue, _memory, _config);
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
            case ProcessExited m: _lifecycle.OnProcessExited(m.Run); break;
            case LoadProgressed: break; // the publish after every message picks it up
            case TtlExpired m when _entries.TryGetValue(m.ModelId, out var expired): _timers.OnExpired(expired, m.Generation, _config); break;
            case TtlExpired: break;
            case SetKeepAlive m: OnSetKeepAlive(m.ModelId, m.KeepAlive); break;
            case Unload m: OnUnload(m.ModelId, m.Done); break;
            case ApplyConfig m: OnApplyConfig(m.Next, m.Done); break;
            case StopAll m: OnStopAll(m.Done); break;
            case MemoryMeasured m: _memory.OnMeasured(_entries, m); break;
            case SwapWaitExpired m: _swapWaits.OnExpired(m.ModelId, m.Generation, _entries); break;
            case Retire m: _retirements.Begin(m.Retirement, _entries, FailGroup); break;
            case RetireCompleted m: _retirements.OnCompleted(m.Retirement, m.Error); break;
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
        if (entry.Retiring)
        {
            waiter.Fail(new ModelRetiringException(id));
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
        waiter.EnqueuedAt = _time.GetUtcNow();
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
        if (_lifecycle.OnStartCompleted(run, error) is { } failure)
        {
            FailGroup(run.Entry.Id, failure);
        }
    }

    private void OnStopCompleted(ModelRun run, Exception? error)
    {
        var entry = run.Entry;
        if (_lifecycle.OnStopCompleted(run, error) && !entry.InConfig)
        {
            _entries.Remove(entry.Id);
            _status.MembershipChanged();
        }
    }

    private void OnSetKeepAlive(string modelId, TimeSpan keepAlive)
    {
        if (_entries.TryGetValue(modelId, out var entry) && entry.Run is { } run && entry.State != ModelState.Stopped)
        {
            run.KeepAlive = keepAlive;
            entry.CancelTtl(); // re-armed by Settle with the new timeout, counting from now
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
                _status.MembershipChanged();
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
                _status.MembershipChanged();
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
        _swapHead = null;
        _swapEvictions = [];
        while (!_shuttingDown && _queue.Head is { } head)
        {
            var entry = _entries[head.ModelId];
            var evictions = SwapPolicy.EvictionsFor(entry.Id, RunningExcept(entry.Id), _config);
            if (entry.State == ModelState.Ready && !entry.StopRequested)
            {
                // Served at once. Like llama-swap, the group rules apply on every request, not only on
                // starts: a running exclusive model evicts what started beside it since (a member of a
                // non-exclusive group), or what a reload regrouped. The evicted stop once idle.
                foreach (var id in evictions)
                {
                    _entries[id].RequestStop($"evicted by {entry.Id}");
                }
                GrantGroup(_queue.Take(entry.Id)!, entry);
                continue;
            }
            // Memory adds evictions to the group rules' (least recently used first), or refuses a model
            // that can never fit before anything is stopped for it.
            var memory = entry.State == ModelState.Starting ? null : _memory.Plan(entry, _entries.Values, _queue, evictions, _config);
            if (memory is { CannotStart: true })
            {
                FailGroup(entry.Id, new ModelMemoryException(entry.Id, memory));
                continue;
            }
            // Until the head is served, its evictions take no new requests; they stop once idle. If the
            // head's requests all go away first, the evicted models simply keep running.
            headEvictions = memory is null ? evictions : evictions.AddRange(memory.Evictions.Except(evictions));
            entry.WaitingFor = MemoryGate.Describe(memory, evictions, _entries);
            (_swapHead, _swapEvictions) = (entry.Id, headEvictions);
            foreach (var id in headEvictions)
            {
                _lifecycle.StopWhenIdle(_entries[id], memory is not null && memory.Evictions.Contains(id) && !evictions.Contains(id)
                    ? $"evicted by {entry.Id} to free memory" : $"evicted by {entry.Id}", force: false);
            }
            if (headEvictions.IsEmpty && memory?.Outcome is null or MemoryOutcome.Fits && entry.State == ModelState.Stopped)
            {
                if (_lifecycle.TryStart(entry) is { } failure)
                {
                    FailGroup(entry.Id, failure);
                    continue; // the head failed at once; the next group becomes head
                }
                entry.Run!.Estimate = _memory.EstimateFor(entry.Model);
                entry.WaitingFor = null;
            }
            break;
        }
        foreach (var entry in _entries.Values)
        {
            if (entry.StopRequested)
            {
                _lifecycle.StopWhenIdle(entry, entry.StopReason ?? "stop requested", force: _shuttingDown);
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
            run.Served = true;
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

    private static void FailMessage(CoordinatorMessage message, Exception error)
    {
        switch (message)
        {
            case Acquire m: m.Waiter.Fail(error); break;
            case Unload m: m.Done.TrySetException(error); break;
            case ApplyConfig m: m.Done.TrySetException(error); break;
            case StopAll m: m.Done.TrySetException(error); break;
            case Retire m: m.Retirement.Done.TrySetException(error); break;
        }
    }
}
