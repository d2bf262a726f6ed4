using static ModelSwap.Gateway.Swapping.CoordinatorMessage;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// The retirements in progress, loop-owned. Once every model of a retirement is stopped its action
/// runs off the loop (deleting files must not hold up other models); its completion comes back as a
/// message, which ends the retirement. The models stay refused until then, so no request can start
/// a model on files being deleted; the action itself removes them from the config (a catalog refresh).
/// </summary>
internal sealed class Retirements(Action<CoordinatorMessage> post)
{
    private readonly List<Retirement> _pending = [];

    public void Begin(Retirement retirement, IEnumerable<ModelEntry> entries)
    {
        retirement.Entries.AddRange(entries);
        _pending.Add(retirement);
    }

    /// <summary>Called after every message: starts the action of each retirement whose models have all stopped.</summary>
    public void Settle()
    {
        foreach (var retirement in _pending)
        {
            if (retirement.Started || retirement.Entries.Any(e => e.State != ModelState.Stopped))
            {
                continue;
            }
            retirement.Started = true;
            _ = Task.Run(async () =>
            {
                Exception? error = null;
                try
                {
                    await retirement.WhenStopped(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    error = ex;
                }
                post(new RetireCompleted(retirement, error));
            });
        }
    }

    public void OnCompleted(Retirement retirement, Exception? error)
    {
        _pending.Remove(retirement);
        foreach (var entry in retirement.Entries)
        {
            entry.Retiring = false;
        }
        if (error is null)
        {
            retirement.Done.TrySetResult();
        }
        else
        {
            retirement.Done.TrySetException(error);
        }
    }
}
