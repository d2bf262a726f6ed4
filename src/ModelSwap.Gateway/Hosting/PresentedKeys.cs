using Microsoft.AspNetCore.Http;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// The valid API key a request presents (a header, else the dashboard's session cookie), by the same rule
/// <see cref="ApiKeyMiddleware"/> applies: what a face acting for that person (the dashboard's Playground
/// calling /v1) sends on their behalf. Null when keys are not required or none valid was presented.
/// </summary>
public sealed class PresentedKeys
{
    private readonly GatewaySecurity _security;

    internal PresentedKeys(GatewaySecurity security) => _security = security;

    public string? Of(HttpRequest request)
    {
        if (!_security.KeysRequired)
        {
            return null;
        }
        var key = ApiCredentials.FromHeaders(request) ?? ApiCredentials.FromCookie(request);
        return key is not null && ApiCredentials.IsValid(key, _security.ApiKeys) ? key : null;
    }
}
