namespace ModelSwap.Gateway.Hosting;

/// <summary>The catalog of a user-written config file: ModelSwap never rewrites it.</summary>
internal sealed class UserConfigCatalog(GatewayHostOptions options) : IModelCatalog
{
    public Task<string> RefreshAsync(CancellationToken cancellationToken) => Task.FromResult(
        $"serving the user config {options.ConfigPath ?? "(in memory)"}: add the model to it to serve it (or run serve without --config to generate one)");
}
