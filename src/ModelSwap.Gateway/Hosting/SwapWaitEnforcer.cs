using Microsoft.Extensions.Hosting;
using ModelSwap.Gateway.Activity;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Hosting;

/// <summary>Ends the requests a swap has waited on for swapWaitTimeout (see <see cref="ModelCoordinator.InFlightOverdue"/>).</summary>
internal sealed class SwapWaitEnforcer(ModelCoordinator coordinator, InFlightRequests requests) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        coordinator.InFlightOverdue += OnOverdue;
        return Task.CompletedTask;
    }

    private void OnOverdue(string modelId, string waitingFor, TimeSpan waited) =>
        requests.EndWhere(r => r.Model == modelId && r.State == "forwarding", RequestEnd.SwapTimeout(modelId, waitingFor, waited));

    public Task StopAsync(CancellationToken cancellationToken)
    {
        coordinator.InFlightOverdue -= OnOverdue;
        return Task.CompletedTask;
    }
}
