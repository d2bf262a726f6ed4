using System.Collections.Immutable;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// Publishes the loop's state as an immutable snapshot that any thread may read, and reports state
/// changes. Published by the loop after each message; a snapshot is rebuilt only when something changed.
/// </summary>
internal sealed class StatusBoard
{
    private readonly Action<ModelStatus> _stateChanged;
    private readonly Action<ModelStatus> _progressChanged;
    private IReadOnlyList<ModelStatus> _current = ImmutableArray<ModelStatus>.Empty;
    private bool _membershipChanged = true;

    public StatusBoard(Action<ModelStatus> stateChanged, Action<ModelStatus>? progressChanged = null)
    {
        _stateChanged = stateChanged;
        _progressChanged = progressChanged ?? (_ => { });
    }

    public IReadOnlyList<ModelStatus> Current => Volatile.Read(ref _current);

    /// <summary>A model was added or removed: the next publish rebuilds the snapshot.</summary>
    public void MembershipChanged() => _membershipChanged = true;

    /// <summary>Called on the loop only. <paramref name="entries"/> come in id order.</summary>
    public void Publish(IEnumerable<ModelEntry> entries, WaitQueue queue, MemoryGate memory, Core.Configuration.ModelSwapConfig config)
    {
        var changed = _membershipChanged;
        _membershipChanged = false;
        var positions = Positions(queue);
        foreach (var entry in entries)
        {
            var old = entry.Published;
            var queued = queue.CountFor(entry.Id);
            var pid = entry.Run?.Process.ProcessId;
            var requests = positions.GetValueOrDefault(entry.Id, []);
            var estimate = entry.Run?.Estimate ?? memory.EstimateFor(entry.Model);
            var (need, source) = memory.NeedOf(entry);
            var measured = entry.Run?.Measured;
            // Progress means something while starting only (the server's own report, else the share of its
            // files read, from the memory sampler); a ready model has loaded all of it.
            var progress = entry.State switch
            {
                ModelState.Starting => entry.Run?.Process.LoadProgress ?? entry.Run?.LoadProgress,
                ModelState.Ready => 1.0,
                _ => null,
            };
            var waitingFor = queued > 0 ? entry.WaitingFor : null;
            var idleTimeout = entry.IdleTimeout(config);
            if (old is not null && old.State == entry.State && old.InFlight == entry.InFlight && old.Queued == queued
                && old.Pid == pid && old.ReadySince == entry.ReadySince && old.LastUsed == entry.LastUsed
                && old.Estimate == estimate && old.BudgetedBytes == need.TotalBytes && old.Measured == measured
                && old.LoadProgress == progress && old.WaitingFor == waitingFor && old.QueuedRequests.SequenceEqual(requests)
                && old.IdleTimeout == idleTimeout && old.IdleUntil == entry.IdleUntil)
            {
                continue;
            }
            var status = new ModelStatus(entry.Id, entry.State, entry.InFlight, queued, pid, entry.ReadySince, entry.LastUsed,
                idleTimeout, entry.IdleUntil)
            {
                Estimate = estimate,
                BudgetedBytes = source == "unknown" ? null : need.TotalBytes,
                BudgetSource = source == "unknown" ? null : source,
                Measured = measured,
                LoadProgress = progress,
                WaitingFor = waitingFor,
                QueuedRequests = requests,
            };
            entry.Published = status;
            changed = true;
            if (old is null ? status.State != ModelState.Stopped : old.State != status.State)
            {
                _stateChanged(status);
            }
            else if (status.State == ModelState.Starting && old?.LoadProgress != progress)
            {
                _progressChanged(status);
            }
        }
        if (changed)
        {
            Volatile.Write(ref _current, entries.Select(e => e.Published!).ToImmutableArray());
        }
    }

    /// <summary>Each queued request's place in the whole queue, in service order (groups by first arrival).</summary>
    private static Dictionary<string, ImmutableArray<QueuedRequest>> Positions(WaitQueue queue)
    {
        var result = new Dictionary<string, ImmutableArray<QueuedRequest>>(StringComparer.Ordinal);
        if (queue.IsEmpty)
        {
            return result;
        }
        var position = 0;
        foreach (var group in queue.Snapshot())
        {
            result[group.ModelId] = [.. group.Waiters.Select(w => new QueuedRequest(++position, w.EnqueuedAt))];
        }
        return result;
    }
}
