using Microsoft.AspNetCore.Http;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// The one question another face (the dashboard) may ask of the gateway's key rule: which valid key did
/// this request present? The rule itself stays internal to <see cref="GatewaySecurity"/>.
/// </summary>
public interface IPresentedKeys
{
    /// <summary>The valid key (header or session cookie) the request presented; null when keys are off or none was valid.</summary>
    string? PresentedKey(HttpRequest request);
}
