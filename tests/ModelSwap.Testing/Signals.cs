using System.Runtime.InteropServices;

namespace ModelSwap.Testing;

/// <summary>Sends POSIX signals to processes a test started (kill(2), no kill(1) process in between).</summary>
public static class Signals
{
    public const int Interrupt = 2;
    public const int Hangup = 1;
    public const int Kill = 9;
    public const int Terminate = 15;

    /// <summary>kill(2): 0 when the signal was sent.</summary>
    public static int Send(int pid, int signal) => NativeKill(pid, signal);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int NativeKill(int pid, int signal);
}
