using Microsoft.Extensions.Hosting;

namespace ModelSwap.Engine.Hosting;

/// <summary>
/// No console lifetime: signals are the caller's business (the CLI turns SIGTERM and Ctrl+C into a
/// cancelled token), and several engines may share one process in tests.
/// </summary>
internal sealed class QuietLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
