using Microsoft.Extensions.Logging;

namespace ModelSwap.Gateway.Processes;

/// <summary>Log events of model processes. Arguments are never logged: they may hold API keys.</summary>
internal static partial class ProcessLog
{
    [LoggerMessage(1, LogLevel.Information, "Starting model {ModelId}: {Program} (parent-death signal: {ParentDeathSignal}, own session: {OwnSession})")]
    public static partial void Starting(ILogger logger, string modelId, string program, bool parentDeathSignal, bool ownSession);

    [LoggerMessage(2, LogLevel.Debug, "Model {ModelId} launched as pid {Pid}")]
    public static partial void Launched(ILogger logger, string modelId, int pid);

    [LoggerMessage(3, LogLevel.Information, "Model {ModelId} (pid {Pid}) ready after {ElapsedMs:0.0} ms and {Attempts} health checks")]
    public static partial void Ready(ILogger logger, string modelId, int pid, double elapsedMs, int attempts);

    [LoggerMessage(4, LogLevel.Warning, "Model {ModelId} (pid {Pid}) exited with code {ExitCode} while starting")]
    public static partial void ExitedWhileStarting(ILogger logger, string modelId, int pid, int? exitCode);

    [LoggerMessage(5, LogLevel.Warning, "Model {ModelId} (pid {Pid}) not ready within {Timeout}; killing it")]
    public static partial void HealthTimeout(ILogger logger, string modelId, int pid, TimeSpan timeout);

    [LoggerMessage(6, LogLevel.Information, "Stopping model {ModelId} (pid {Pid}) with {Method}")]
    public static partial void Stopping(ILogger logger, string modelId, int pid, string method);

    [LoggerMessage(7, LogLevel.Warning, "Model {ModelId} (pid {Pid}) still running after {UnloadTimeout}; killing its process tree")]
    public static partial void KillingAfterUnloadTimeout(ILogger logger, string modelId, int pid, TimeSpan unloadTimeout);

    [LoggerMessage(8, LogLevel.Information, "Model {ModelId} (pid {Pid}) exited with code {ExitCode}")]
    public static partial void Exited(ILogger logger, string modelId, int pid, int? exitCode);

    [LoggerMessage(9, LogLevel.Warning, "Model {ModelId} (pid {Pid}) exited unexpectedly with code {ExitCode}")]
    public static partial void ExitedUnexpectedly(ILogger logger, string modelId, int pid, int? exitCode);

    [LoggerMessage(10, LogLevel.Warning, "util-linux setpriv with --pdeathsig was not found: model servers will outlive ModelSwap if it is killed")]
    public static partial void NoParentDeathSignal(ILogger logger);

    [LoggerMessage(11, LogLevel.Warning, "util-linux setsid was not found: model servers share ModelSwap's process group")]
    public static partial void NoNewSession(ILogger logger);

    [LoggerMessage(12, LogLevel.Warning, "Stop command {Program} of model {ModelId} could not run: {Reason}; sending SIGTERM instead")]
    public static partial void StopCommandFailed(ILogger logger, string modelId, string program, string reason);

    [LoggerMessage(13, LogLevel.Warning, "Stop command {Program} of model {ModelId} exited with code {ExitCode}")]
    public static partial void StopCommandExitCode(ILogger logger, string modelId, string program, int exitCode);

    [LoggerMessage(14, LogLevel.Information, "Killed {Count} leftover processes of model {ModelId} (pid {Pid})")]
    public static partial void KilledLeftovers(ILogger logger, string modelId, int pid, int count);

    [LoggerMessage(15, LogLevel.Error, "Model {ModelId} (pid {Pid}) did not exit within {Wait} of SIGKILL")]
    public static partial void StillAliveAfterKill(ILogger logger, string modelId, int pid, TimeSpan wait);

    [LoggerMessage(16, LogLevel.Debug, "[{ModelId}] {Line}")]
    public static partial void Output(ILogger logger, string modelId, string line);

    [LoggerMessage(17, LogLevel.Information, "Start of model {ModelId} (pid {Pid}) cancelled; killing it")]
    public static partial void StartCancelled(ILogger logger, string modelId, int pid);

    [LoggerMessage(18, LogLevel.Warning, "Could not put model {ModelId} (pid {Pid}) into the Windows job object: {Reason}")]
    public static partial void JobAssignFailed(ILogger logger, string modelId, int pid, string reason);

    [LoggerMessage(19, LogLevel.Information, "Model {ModelId}: health check {Path} answered {Summary}")]
    public static partial void HealthOutcome(ILogger logger, string modelId, string path, string summary);
}
