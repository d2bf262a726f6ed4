using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelSwap.Gateway.Activity;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// The first part of a shutdown (SIGTERM, Ctrl+C, `modelswap stop`): requests still waiting for a
/// model are answered 503 at once and new ones refused; requests being forwarded may finish within
/// the grace period (<see cref="GatewayHostOptions.ShutdownGrace"/>), after which they are ended.
/// Then the host stops Kestrel and <see cref="CoordinatorLifetime"/> stops every model.
/// The grace runs on its own clock (keyed <see cref="ClockKey"/>), so a test steps it with a fake time
/// while the model processes' own timers (readiness, stop timeouts) keep real time.
/// </summary>
internal sealed partial class GracefulShutdown(
    IHostApplicationLifetime lifetime,
    InFlightRequests requests,
    GatewayHostOptions options,
    [FromKeyedServices(GracefulShutdown.ClockKey)] TimeProvider time,
    ILogger<GracefulShutdown> logger) : IHostedService
{
    public const string ClockKey = "shutdown-grace";

    private CancellationTokenRegistration _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(OnStopping);
        return Task.CompletedTask;
    }

    private void OnStopping()
    {
        requests.BeginShutdown();
        LogDraining(requests.Count, options.ShutdownGrace.TotalSeconds);
        _ = EndAfterGraceAsync();
    }

    private async Task EndAfterGraceAsync()
    {
        var idle = requests.WhenIdle();
        using var timer = new CancellationTokenSource();
        var grace = Task.Delay(options.ShutdownGrace, time, timer.Token);
        if (await Task.WhenAny(idle, grace).ConfigureAwait(false) == idle)
        {
            await timer.CancelAsync().ConfigureAwait(false);
            return;
        }
        var ended = requests.EndWhere(_ => true,
            RequestEnd.ShuttingDown($"the request did not finish within the {options.ShutdownGrace.TotalSeconds:0.#} s grace period"));
        LogEnded(ended, options.ShutdownGrace.TotalSeconds);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Dispose();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: waiting requests answered 503, {Count} requests still in flight get up to {GraceSeconds} s to finish")]
    private partial void LogDraining(int count, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutting down: ended {Count} requests still in flight after the {GraceSeconds} s grace period")]
    private partial void LogEnded(int count, double graceSeconds);
}
