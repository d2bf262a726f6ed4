namespace ModelSwap.Gateway.Management;

/// <summary>
/// The events of <c>GET /api/events</c> (server-sent events, each with an <c>id</c> that only grows):
/// the first is always a <see cref="Snapshot"/>; then the others as things happen.
/// </summary>
public static class ServerEventNames
{
    /// <summary>Every model, exactly as <c>GET /api/models</c> returns them (a list of <see cref="ModelInfo"/>).</summary>
    public const string Snapshot = "snapshot";
    /// <summary>A model's state changed: its <see cref="ModelInfo"/> now.</summary>
    public const string Model = "model";
    /// <summary>Download progress (at most 10 a second per download) and its end: a <see cref="DownloadView"/>.</summary>
    public const string Download = "download";
    /// <summary>The models folders were rescanned and the served models changed: a <see cref="CatalogChangedEvent"/>.</summary>
    public const string Catalog = "catalog";
    /// <summary>A configuration was applied: a <see cref="ConfigChangedEvent"/>.</summary>
    public const string Config = "config";
    /// <summary>A request to a model ended and is in the history: its <see cref="Activity.ActivityEntry"/>.</summary>
    public const string Activity = "activity";
    /// <summary>
    /// A request to a model in flight arrived, was forwarded or generated more tokens (at most twice a
    /// second while it streams): its <see cref="InFlightRequestView"/>, as GET /api/requests lists it.
    /// Not kept for replay: GET /api/requests has the latest of every request.
    /// </summary>
    public const string Request = "request";
    /// <summary>A log line (only with <c>?logs=all|proxy|upstream</c>): a <see cref="LogLineEvent"/>.</summary>
    public const string Log = "log";
}
