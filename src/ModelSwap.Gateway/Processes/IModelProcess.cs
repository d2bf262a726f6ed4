using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// The one owner of a model's server process. Created per start by <see cref="IModelProcessFactory"/>;
/// the swap coordinator is its only caller, so it never sees concurrent Start/Stop calls.
/// </summary>
internal interface IModelProcess : IAsyncDisposable
{
    ModelConfig Model { get; }

    /// <summary>Operating-system id of the started process; null before start.</summary>
    int? ProcessId { get; }

    /// <summary>
    /// Starts the process and returns once its readiness probe answers 200. Throws
    /// <see cref="ModelStartException"/> (carrying the last log lines) when the process exits while
    /// starting, or is not healthy within the model's health-check timeout; the process is then gone.
    /// </summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stops gracefully (cmdStop, else SIGTERM to the process group), and kills the whole tree when
    /// it has not exited after the model's unload timeout. Idempotent.
    /// </summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Completes when the process has exited, for whatever reason (after a start).</summary>
    Task Exited { get; }

    /// <summary>
    /// The exit code once <see cref="Exited"/> completed (128 + signal number when killed by a
    /// signal on Unix); null while running, when never launched, or when the implementation cannot tell.
    /// </summary>
    int? ExitCode => null;

    /// <summary>
    /// How far the server has loaded its model while starting, 0..1; null when it does not say
    /// (see <see cref="LoadProgressReader"/>).
    /// </summary>
    double? LoadProgress => null;

    /// <summary>Raised (on any thread) when <see cref="LoadProgress"/> changes.</summary>
    event Action? LoadProgressChanged
    {
        add { }
        remove { }
    }

    /// <summary>The process's recent output lines.</summary>
    LogRing Logs { get; }
}
