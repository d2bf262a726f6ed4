using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ModelSwap.Gateway.Activity;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Dashboard.Live;

/// <summary>
/// The Activity page's data, one per browser circuit, from the management layer only: requests in
/// flight (read when the event stream says one arrived, moved on or generated tokens, and every second
/// for their elapsed time), the history with
/// its filter and the last hour's summary (read again when the event stream says a request ended).
/// </summary>
internal sealed partial class LiveActivity(IActivityManagement activity, EventHub events, TimeProvider time, ILogger<LiveActivity> logger)
    : IAsyncDisposable
{
    private static readonly TimeSpan InFlightPeriod = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _events;
    private Task? _poll;

    public IReadOnlyList<InFlightRequestView>? InFlight { get; private set; }
    public string? InFlightError { get; private set; }
    public ActivityPage? History { get; private set; }
    public string? HistoryError { get; private set; }
    public ActivitySummary? Summary { get; private set; }
    public string? SummaryError { get; private set; }
    public ActivityQuery Filter { get; private set; } = new();

    /// <summary>Raised (on a pool thread) after anything above changed.</summary>
    public event Action? Changed;

    public void Start()
    {
        _events ??= FollowAsync(_stop.Token);
        _poll ??= PollAsync(_stop.Token);
    }

    /// <summary>Starts from what was read earlier (the prerendered page's) until the first reads arrive; nulls change nothing.</summary>
    public void Seed(IReadOnlyList<InFlightRequestView>? inFlight, ActivityPage? history, ActivitySummary? summary)
    {
        InFlight ??= inFlight;
        History ??= history;
        Summary ??= summary;
    }

    /// <summary>Reads everything once, following nothing (the prerendered page's first HTML).</summary>
    public async Task ReadOnceAsync()
    {
        await ReadInFlightAsync().ConfigureAwait(false);
        await ReadHistoryAsync(_stop.Token).ConfigureAwait(false);
        await ReadSummaryAsync(_stop.Token).ConfigureAwait(false);
    }

    public async Task SetFilterAsync(ActivityQuery filter)
    {
        Filter = filter;
        await ReadHistoryAsync(_stop.Token).ConfigureAwait(false);
    }

    /// <summary>Ends a request; its row then arrives through the event stream.</summary>
    public async Task CancelAsync(string id)
    {
        activity.Cancel(id);
        await ReadInFlightAsync().ConfigureAwait(false);
    }

    public Task<ActivityDetail> GetAsync(long id) => activity.GetAsync(id, _stop.Token);

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        using var subscription = events.Subscribe();
        await ReadHistoryAsync(cancellationToken).ConfigureAwait(false);
        await ReadSummaryAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (await subscription.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var ended = false;
                var moved = false;
                while (subscription.Reader.TryRead(out var item))
                {
                    ended |= item.Name == ServerEventNames.Activity;
                    moved |= item.Name == ServerEventNames.Request;
                }
                if (moved || ended)
                {
                    // A request arrived, moved on or generated tokens (or ended): the in-flight rows now, not at the next tick.
                    await ReadInFlightAsync().ConfigureAwait(false);
                }
                if (ended)
                {
                    // A burst of finished requests costs one read.
                    await ReadHistoryAsync(cancellationToken).ConfigureAwait(false);
                    await ReadSummaryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(InFlightPeriod, time);
        var ticks = 0;
        try
        {
            do
            {
                await ReadInFlightAsync().ConfigureAwait(false);
                if (++ticks % 60 == 0)
                {
                    await ReadSummaryAsync(cancellationToken).ConfigureAwait(false); // the hour's window moves on
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private Task ReadInFlightAsync()
    {
        try
        {
            InFlight = activity.InFlight();
            InFlightError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReadFailed("requests in flight", ex);
            InFlightError = $"The requests in flight could not be listed: {ex.Message}";
        }
        Changed?.Invoke();
        return Task.CompletedTask;
    }

    private async Task ReadHistoryAsync(CancellationToken cancellationToken)
    {
        try
        {
            History = await activity.ListAsync(Filter, cancellationToken).ConfigureAwait(false);
            HistoryError = null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            LogReadFailed("history", ex);
            HistoryError = $"The history could not be read: {ex.Message}";
        }
        Changed?.Invoke();
    }

    private async Task ReadSummaryAsync(CancellationToken cancellationToken)
    {
        try
        {
            Summary = await activity.SummaryAsync(cancellationToken).ConfigureAwait(false);
            SummaryError = null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            LogReadFailed("summary", ex);
            SummaryError = $"The last hour could not be summed up: {ex.Message}";
        }
        Changed?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var task in new[] { _events, _poll })
        {
            if (task is not null)
            {
                try
                {
                    await task.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Activity page's {What} could not be read")]
    private partial void LogReadFailed(string what, Exception exception);
}
