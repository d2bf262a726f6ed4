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
    public void Publish(IEnumerable<ModelEntry> entries, WaitQueue queue)
    {
        var changed = _membershipChanged;
        _membershipChanged = false;
        foreach (var entry in entries)
        {
            var old = entry.Published;
            var queued = queue.CountFor(entry.Id);
            var pid = entry.Run?.Process.ProcessId;
            // Progress means something while starting only; a ready model has loaded all of it.
            var progress = entry.State switch
            {
                ModelState.Starting => entry.Run?.Process.LoadProgress,
                ModelState.Ready => 1.0,
                _ => null,
            };
            if (old is not null && old.State == entry.State && old.InFlight == entry.InFlight && old.Queued == queued
                && old.Pid == pid && old.ReadySince == entry.ReadySince && old.LastUsed == entry.LastUsed && old.LoadProgress == progress)
            {
                continue;
            }
            var status = new ModelStatus(entry.Id, entry.State, entry.InFlight, queued, pid, entry.ReadySince, entry.LastUsed, progress);
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
}
