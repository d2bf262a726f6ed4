using System.Runtime.InteropServices;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// The few libc calls .NET does not expose: signalling a whole process group (Process.Kill only
/// reaches one pid, and only with SIGKILL), reading a process's group, and undoing an inherited
/// signal ignore.
/// </summary>
internal static partial class PosixNative
{
    // Same numbers on Linux (every architecture .NET runs on) and macOS.
    public const int SigHup = 1;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int KillNative(int pid, int signal);

    [DllImport("libc", EntryPoint = "signal", SetLastError = true)]
    private static extern nint SignalNative(int signal, nint handler);

    [DllImport("libc", EntryPoint = "getpgid", SetLastError = true)]
    private static extern int GetPgidNative(int pid);

    /// <summary>Sends <paramref name="signal"/>; false when no such process (or group) exists.</summary>
    public static bool Kill(int pid, int signal) => KillNative(pid, signal) == 0;

    /// <summary>
    /// Puts <paramref name="signal"/> back to its default action (SIG_DFL is 0). An ignore inherited
    /// from the parent (nohup ignores SIGHUP) survives exec, and .NET then never delivers the signal to
    /// a PosixSignalRegistration; call this before registering one.
    /// </summary>
    public static void RestoreDefaultAction(int signal) => SignalNative(signal, 0);

    /// <summary>Signals every process of group <paramref name="pgid"/>.</summary>
    public static bool KillGroup(int pgid, int signal)
    {
        // kill(0 or -1, …) would hit our own group or every process we may signal: never allow it.
        ArgumentOutOfRangeException.ThrowIfLessThan(pgid, 2);
        return Kill(-pgid, signal);
    }

    /// <summary>The process group of <paramref name="pid"/>, or null when it does not exist.</summary>
    public static int? GetProcessGroup(int pid)
    {
        var pgid = GetPgidNative(pid);
        return pgid < 0 ? null : pgid;
    }
}
