namespace ModelSwap.Gateway.Management;

/// <summary>The served models changed after a rescan; <see cref="Models"/> is how many are served now.</summary>
internal sealed record CatalogChangedEvent(string Reason, int Models, string Message);
