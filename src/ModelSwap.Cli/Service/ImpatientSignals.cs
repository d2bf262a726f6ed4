using System.Runtime.InteropServices;

namespace ModelSwap.Cli.Service;

/// <summary>
/// The second SIGTERM or SIGINT during a graceful shutdown ends the process at once: every model
/// server is handed to the reaper to be killed, then the process exits (130 for SIGINT, 143 for
/// SIGTERM) without waiting for anything. The first signal is left to the graceful path.
/// </summary>
internal sealed class ImpatientSignals : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    private ImpatientSignals()
    {
        _registrations = OperatingSystem.IsWindows()
            ? []
            : [PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal)];
    }

    public static ImpatientSignals Register() => new();

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) < 2)
        {
            return;
        }
        Console.Error.WriteLine("second signal: killing every model server and exiting now");
        Gateway.Processes.EmergencyStop.KillEveryModel();
        // _exit: no managed shutdown (the host's own handlers would wait for the graceful stop).
        Exit(context.Signal == PosixSignal.SIGINT ? Commands.ExitCodes.Interrupted : Commands.ExitCodes.Terminated);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
