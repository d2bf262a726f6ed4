using ModelSwap.Core.Catalog;

namespace ModelSwap.Gateway.Discovery;

/// <summary>Serving a config generated from models folders, kept up to date while the gateway runs.</summary>
internal sealed record DiscoveryOptions
{
    /// <summary>The folders scanned, models.yaml, where the generated config is written.</summary>
    public required CatalogOptions Catalog { get; init; }

    /// <summary>Poll the folders instead of using file system events (otherwise polling is only the fallback where events fail).</summary>
    public bool Polling { get; init; }

    /// <summary>How often the folders are polled when polling.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Quiet time after a burst of file events before rescanning (a copy fires many).</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How soon files reported pending (still settling or half copied) are checked again.</summary>
    public TimeSpan PendingRecheck { get; init; } = TimeSpan.FromMilliseconds(500);
}
