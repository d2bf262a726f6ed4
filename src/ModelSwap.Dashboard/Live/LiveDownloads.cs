using ModelSwap.Gateway.Management;

namespace ModelSwap.Dashboard.Live;

/// <summary>Every download job (newest first), kept current by the management layer's download events; one per circuit.</summary>
internal sealed class LiveDownloads(IModelHub hub) : IDisposable
{
    private bool _started;

    public IReadOnlyList<DownloadView> Jobs { get; private set; } = [];

    /// <summary>Raised on the download's thread: components marshal with InvokeAsync.</summary>
    public event Action? Changed;

    public void Start()
    {
        if (!_started)
        {
            _started = true;
            hub.DownloadChanged += OnDownload;
        }
        Refresh();
    }

    public void Refresh()
    {
        Jobs = hub.ListDownloads().Reverse().ToList();
        Changed?.Invoke();
    }

    private void OnDownload(DownloadView download) => Refresh();

    public void Dispose() => hub.DownloadChanged -= OnDownload;
}
