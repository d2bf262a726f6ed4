using System.Collections.Immutable;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// Publishes the loop's state as an immutable snapshot that any thread may read, and reports state
/// changes. Published by the loop after each message; a snapshot is rebuilt only when something changed.
/// </summary>
internal sealed class StatusBoard
{
    private readonly Action<ModelStatus> _stateChanged;
    private IReadOnlyList<ModelStatus> _current = ImmutableArray<ModelStatus>.Empty;
    private bool _membershipChanged = true;

    public StatusBoard(Action<ModelStatus> stateChanged)
    {
        _stateChanged = stateChanged;
    }

    public IReadOnlyList<ModelStatus> Current => Volatile.Read(ref _current);

    /// <summary>A model was added or removed: the next publish rebuilds the snapshot.</summary>
    public void MembershipChanged() => _membershipChanged = true;

    /// <summary>Called on the loop only. <paramref name="entries"/> come in id order.</summary>
    public void Publish(IEnumerable<ModelEntry> entries, WaitQueue queue, Core.Configuration.ModelSwapConfig config)
    {
        var changed = _membershipChanged;
        _membershipChanged = false;
        foreach (var entry in entries)
        {
            var old = entry.Published;
            var queued = queue.CountFor(entry.Id);
            var pid = entry.Run?.Process.ProcessId;
            var idleTimeout = entry.IdleTimeout(config);
            if (old is not null && old.State == entry.State && old.InFlight == entry.InFlight && old.Queued == queued
                && old.Pid == pid && old.ReadySince == entry.ReadySince && old.LastUsed == entry.LastUsed
                && old.IdleTimeout == idleTimeout && old.IdleUntil == entry.IdleUntil)
            {
                continue;
            }
            var status = new ModelStatus(entry.Id, entry.State, entry.InFlight, queued, pid, entry.ReadySince, entry.LastUsed,
                idleTimeout, entry.IdleUntil);
            entry.Published = status;
            changed = true;
            if (old is null ? status.State != ModelState.Stopped : old.State != status.State)
            {
                _stateChanged(status);
            }
        }
        if (changed)
        {
            Volatile.Write(ref _current, entries.Select(e => e.Published!).ToImmutableArray());
        }
    }
}
