using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Dashboard.Live;

/// <summary>
/// The models as the management layer lists them, kept current by the event stream: one per browser
/// circuit, shared by its pages. Subscribes before the first list, so no change between them is missed;
/// a burst of events costs one list.
/// </summary>
internal sealed partial class LiveModels(IModelManagement management, EventHub events, ILogger<LiveModels> logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>Null until the first list arrives.</summary>
    public IReadOnlyList<ModelInfo>? Models { get; private set; }

    /// <summary>Why the list could not be read, when it could not.</summary>
    public string? Error { get; private set; }

    /// <summary>Raised (on a pool thread) after <see cref="Models"/> or <see cref="Error"/> changed.</summary>
    public event Action? Changed;

    /// <summary>Starts from a list read earlier (the prerendered page's) until the first list arrives; null changes nothing.</summary>
    public void Seed(IReadOnlyList<ModelInfo>? models) => Models ??= models;

    /// <summary>Starts following the models once per circuit; later calls return at once.</summary>
    public void Start() => _loop ??= RunAsync(_stop.Token);

    /// <summary>Reads the list again now (after an action, so its result shows without waiting for an event).</summary>
    public Task RefreshAsync() => ListAsync(_stop.Token);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var subscription = events.Subscribe();
        await ListAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (await subscription.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var relevant = false;
                while (subscription.Reader.TryRead(out var item))
                {
                    relevant |= item.Name is ServerEventNames.Model or ServerEventNames.Catalog or ServerEventNames.Config
                        or ServerEventNames.Snapshot;
                }
                if (relevant)
                {
                    await ListAsync(cancellationToken).ConfigureAwait(false);
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

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            Models = await management.ListAsync(cancellationToken).ConfigureAwait(false);
            Error = null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            // Shown on the page as it is; the list keeps its last good value.
            LogListFailed(ex);
            Error = $"The models could not be listed: {ex.Message}";
        }
        Changed?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dashboard could not list the models")]
    private partial void LogListFailed(Exception exception);
}
