using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Http;
using ModelSwap.Dashboard.Playground;
using ModelSwap.Gateway.Hosting;

namespace ModelSwap.Dashboard.Hosting;

/// <summary>
/// Reads the key the browser's connection to the circuit presented (the key check already let it in)
/// when the circuit's connection comes up, and keeps it for the Playground. A reconnect reads it again.
/// </summary>
internal sealed class CredentialCircuitHandler(IHttpContextAccessor accessor, IPresentedKeys security, CircuitCredential credential) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext?.Request is { } request && security.PresentedKey(request) is { } key)
        {
            credential.Key = key;
        }
        return Task.CompletedTask;
    }
}
