using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// The security settings in force now: the running config's (which a reload replaces) joined with
/// the environment's, and the redactor for them, rebuilt only when the config changes.
/// </summary>
internal sealed class GatewaySecurity(ModelCoordinator coordinator, SecuritySettings environment, GatewayHostOptions options) : IPresentedKeys
{
    private (ModelSwapConfig Config, SecretRedactor Redactor)? _redactor;

    public IReadOnlyList<string> ApiKeys => [.. coordinator.Config.ApiKeys, .. environment.ApiKeys];

    public bool KeysRequired => !coordinator.Config.ApiKeys.IsDefaultOrEmpty || environment.ApiKeys.Count > 0;

    public IReadOnlyList<string> Origins => [.. coordinator.Config.CorsOrigins, .. environment.Origins];

    public IReadOnlyList<string> AllowedHosts => coordinator.Config.AllowedHosts;

    public long MaxRequestBodySize => coordinator.Config.MaxRequestBodySize;

    /// <summary>True when the gateway listens only on a loopback address (Host names are then checked).</summary>
    public bool ListensOnLoopback => System.Net.IPAddress.IsLoopback(options.Listen.Address);

    /// <summary>
    /// The valid key a request presents (a header, else the dashboard's session cookie), or null: what a
    /// face acting for that person (the dashboard's Playground calling /v1) sends on their behalf. The
    /// same rule <see cref="ApiKeyMiddleware"/> applies.
    /// </summary>
    public string? PresentedKey(Microsoft.AspNetCore.Http.HttpRequest request)
    {
        if (!KeysRequired)
        {
            return null;
        }
        var key = ApiCredentials.FromHeaders(request) ?? ApiCredentials.FromCookie(request);
        return key is not null && ApiCredentials.IsValid(key, ApiKeys) ? key : null;
    }

    public SecretRedactor Redactor
    {
        get
        {
            var config = coordinator.Config;
            if (_redactor is { } cached && ReferenceEquals(cached.Config, config))
            {
                return cached.Redactor;
            }
            var redactor = new SecretRedactor(config, environment.ApiKeys);
            _redactor = (config, redactor);
            return redactor;
        }
    }
}
