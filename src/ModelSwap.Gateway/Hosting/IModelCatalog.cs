namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// What the model manager calls after a model file is added or deleted. When ModelSwap generates
/// its config from the models folders this regenerates and hot-reloads it; with a user's own
/// config file nothing is rewritten (the user owns that file).
/// </summary>
internal interface IModelCatalog
{
    /// <summary>Brings the served configuration in line with the model files; returns a line for the user.</summary>
    Task<string> RefreshAsync(CancellationToken cancellationToken);
}
