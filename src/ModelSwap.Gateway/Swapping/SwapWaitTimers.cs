using Microsoft.Extensions.Logging;
using static ModelSwap.Gateway.Swapping.CoordinatorMessage;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// Caps how long a swap waits for the requests in flight on the models it must stop
/// (swapWaitTimeout): a timer per waited-on model; when it fires and the swap still waits, the
/// requests still in flight there are reported as overdue, and whoever forwards them ends them, so
/// one hung request never wedges a group. Timers only post messages; decisions are taken on the loop.
/// </summary>
internal sealed class SwapWaitTimers(TimeProvider time, ILogger logger, Action<CoordinatorMessage> post, Action<string, string, TimeSpan> overdue)
{
    private readonly Dictionary<string, (ITimer Timer, long Generation, long Since, string WaitingFor)> _armed = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Arms a timer for each model <paramref name="waitingFor"/> waits on while it has requests in flight; disarms the rest.</summary>
    public void Settle(string? waitingFor, IReadOnlyCollection<string> evictions, IReadOnlyDictionary<string, ModelEntry> entries, TimeSpan limit)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        if (waitingFor is not null && limit > TimeSpan.Zero)
        {
            foreach (var id in evictions)
            {
                if (entries.TryGetValue(id, out var entry) && entry.State == ModelState.Ready && entry.InFlight > 0)
                {
                    wanted.Add(id);
                }
            }
        }
        foreach (var id in _armed.Keys.Where(k => !wanted.Contains(k)).ToList())
        {
            _armed[id].Timer.Dispose();
            _armed.Remove(id);
        }
        foreach (var id in wanted.Where(w => !_armed.ContainsKey(w)))
        {
            var generation = ++_generation;
            var timer = time.CreateTimer(_ => post(new SwapWaitExpired(id, generation)), null, limit, Timeout.InfiniteTimeSpan);
            _armed[id] = (timer, generation, time.GetTimestamp(), waitingFor!);
        }
    }

    /// <summary>A timer fired: reports the model's requests as overdue unless the wait ended meanwhile.</summary>
    public void OnExpired(string modelId, long generation, IReadOnlyDictionary<string, ModelEntry> entries)
    {
        if (!_armed.TryGetValue(modelId, out var armed) || armed.Generation != generation)
        {
            return;
        }
        armed.Timer.Dispose();
        _armed.Remove(modelId);
        if (!entries.TryGetValue(modelId, out var entry) || entry.InFlight == 0)
        {
            return;
        }
        var waited = time.GetElapsedTime(armed.Since);
        CoordinatorLog.SwapWaitExpired(logger, modelId, armed.WaitingFor, waited.TotalSeconds, entry.InFlight);
        // Off the loop: ending requests runs their cancellation callbacks.
        _ = Task.Run(() => overdue(modelId, armed.WaitingFor, waited));
    }
}
