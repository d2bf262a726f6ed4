using System.Diagnostics;

namespace ModelSwap.Gateway.Processes;

/// <summary>SIGKILL for a model server and everything it started.</summary>
internal static class TreeKill
{
    /// <summary>
    /// Kills the server's process group (when it has its own session), every process now in its
    /// session or below it, and the processes of <paramref name="snapshot"/> (taken earlier, while
    /// escaped descendants could still be found through their parents).
    /// </summary>
    public static void Kill(Process process, int pid, bool ownSession, IEnumerable<ProcessTree.Entry> snapshot)
    {
        if (!OperatingSystem.IsWindows())
        {
            var family = ProcessTree.HasProcFs ? ProcessTree.Family(pid, ownSession ? pid : null) : [];
            if (ownSession)
            {
                PosixNative.KillGroup(pid, PosixNative.SigKill);
            }
            ProcessTree.Signal(family.Concat(snapshot), PosixNative.SigKill);
        }
        TryKill(process);
    }

    public static void TryKill(Process process)
    {
        try
        {
            // The whole tree: the only tree kill on Windows, and where /proc is missing on Unix.
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }
}
