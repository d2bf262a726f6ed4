namespace ModelSwap.FakeUpstream;

/// <summary>A host lifetime that does not stop on SIGTERM or Ctrl+C (for --ignore-sigterm).</summary>
internal sealed class IgnoreSignalsLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
