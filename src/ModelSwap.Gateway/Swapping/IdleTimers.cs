using Microsoft.Extensions.Logging;
using ModelSwap.Core.Configuration;
using static ModelSwap.Gateway.Swapping.CoordinatorMessage;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// TTL unloading: a model that is ready, idle (no request in flight or queued) and has a TTL gets a
/// timer; anything that makes it busy disarms it, so the countdown always starts at the last release.
/// The timer only posts a message: the decision is taken on the loop, with current state.
/// </summary>
internal sealed class IdleTimers
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<CoordinatorMessage> _post;

    public IdleTimers(TimeProvider time, ILogger logger, Action<CoordinatorMessage> post)
    {
        _time = time;
        _logger = logger;
        _post = post;
    }

    /// <summary>Arms a timer for every idle ready model with a TTL, and disarms the rest.</summary>
    public void Settle(IEnumerable<ModelEntry> entries, WaitQueue queue, ModelSwapConfig config, bool shuttingDown)
    {
        foreach (var entry in entries)
        {
            var ttl = entry.IdleTimeout(config);
            var idle = !shuttingDown && entry.State == ModelState.Ready && entry.InFlight == 0
                && !entry.StopRequested && !queue.Has(entry.Id) && ttl is not null;
            if (!idle)
            {
                entry.CancelTtl();
            }
            else if (entry.TtlTimer is null)
            {
                var generation = ++entry.TtlGeneration;
                var id = entry.Id;
                // A keep-alive of zero still goes through the timer (firing at once), so the stop is a
                // message handled like any TTL expiry, with the loop's current state.
                entry.IdleUntil = _time.GetUtcNow() + ttl!.Value;
                entry.TtlTimer = _time.CreateTimer(
                    _ => _post(new TtlExpired(id, generation)), null, ttl.Value, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>A timer fired: asks the model to stop unless the timer was replaced meanwhile.</summary>
    public void OnExpired(ModelEntry entry, long generation, ModelSwapConfig config)
    {
        if (entry.TtlTimer is null || entry.TtlGeneration != generation)
        {
            return; // disarmed or replaced after it fired; Settle keeps a live timer only for idle models
        }
        entry.CancelTtl();
        if (entry.State != ModelState.Ready || entry.InFlight > 0)
        {
            return;
        }
        CoordinatorLog.TtlExpired(_logger, entry.Id, entry.IdleTimeout(config) ?? TimeSpan.Zero);
        entry.RequestStop("ttl expired");
    }
}
