using System.Threading.Channels;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Dashboard.Live;

/// <summary>Every download job (newest first), kept current by the event stream's download events; one per circuit.</summary>
internal sealed class LiveDownloads(IModelHub hub, EventHub events) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public IReadOnlyList<DownloadView> Jobs { get; private set; } = [];

    public event Action? Changed;

    public void Start() => _loop ??= RunAsync(_stop.Token);

    public void Refresh()
    {
        Jobs = hub.ListDownloads().Reverse().ToList();
        Changed?.Invoke();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var subscription = events.Subscribe();
        Refresh();
        try
        {
            while (await subscription.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var relevant = false;
                while (subscription.Reader.TryRead(out var item))
                {
                    relevant |= item.Name is ServerEventNames.Download or ServerEventNames.Catalog;
                }
                if (relevant)
                {
                    Refresh();
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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _stop.Dispose();
    }
}
