using System.Diagnostics;
using System.Globalization;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Kills what is left of model servers' process groups once ModelSwap is gone, however it died.
/// The parent-death signal reaches only the server itself; a server started through a wrapper
/// script, or one with worker children, would leave those running (holding the port, RAM and GPU).
/// This is one small <c>/bin/sh</c> per ModelSwap, in its own session, that reads "+pgid" and
/// "-pgid" lines on stdin. The kernel closes the pipe when ModelSwap dies, even by SIGKILL; at end
/// of input it SIGKILLs every group still registered, then exits.
/// </summary>
internal sealed class SessionReaper
{
    // Ignores the signals a terminal or service manager sends to ModelSwap's group: it must live
    // until ModelSwap's end, which it learns from end of input.
    private const string Script = """
        # modelswap session reaper: kills model servers' leftovers when ModelSwap exits
        trap '' HUP INT TERM PIPE
        exec >/dev/null 2>&1
        s=' '
        while IFS= read -r l; do
          case $l in
            +[0-9]*) s="$s${l#+} " ;;
            -[0-9]*) n=' '; for x in $s; do [ "$x" = "${l#-}" ] || n="$n$x "; done; s=$n ;;
          esac
        done
        for x in $s; do kill -s KILL -- "-$x"; done
        # Then every process carrying this ModelSwap's tag (see ProcessTags), which finds the ones that
        # left their group (setsid, double fork); twice, for any forked during the first pass.
        if [ -n "$1" ]; then
          for pass in 1 2; do
            for d in /proc/[0-9]*; do
              grep -qxzF -- "MODELSWAP_OWNER=$1" "$d/environ" 2>/dev/null && kill -s KILL "${d#/proc/}"
            done
          done
        fi
        # Then every model server's cgroup (see ModelCgroup), which holds even descendants that cleared
        # their environment; the folders go once empty (a killed process leaves a moment later).
        if [ -n "$2" ] && [ -d "$2" ]; then
          for pass in 1 2 3 4 5 6 7 8 9 10; do
            for c in "$2"/*/; do
              [ -f "${c}cgroup.procs" ] || continue
              echo 1 >"${c}cgroup.kill" || for p in $(cat "${c}cgroup.procs"); do kill -s KILL "$p"; done
              rmdir "$c"
            done
            rmdir "$2" && break
            sleep 0.1
          done
        fi
        """;

    private static readonly Lazy<SessionReaper?> SharedLazy = new(() => Start(LaunchWrapper.Current, ProcessTags.Owner, CgroupOwner.Directory));

    private readonly object _gate = new();
    private readonly Process _process;
    private bool _broken;

    private SessionReaper(Process process) => _process = process;

    /// <summary>The reaper of this ModelSwap, started on first use; null where there is no /bin/sh.</summary>
    public static SessionReaper? Shared => SharedLazy.Value;

    public int ProcessId => _process.Id;

    /// <summary>Starts a reaper; null when it cannot run here (Windows, no /bin/sh).</summary>
    /// <param name="ownerTag">Processes whose MODELSWAP_OWNER is this are killed too at the end; null for none.</param>
    /// <param name="cgroups">This ModelSwap's cgroup folder (<see cref="CgroupOwner"/>): every cgroup below it is killed and removed at the end.</param>
    public static SessionReaper? Start(LaunchWrapper wrapper, string? ownerTag = null, string? cgroups = null)
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/bin/sh"))
        {
            return null;
        }
        var argv = new LaunchWrapper(setprivPath: null, wrapper.SetsidPath).Wrap(["/bin/sh", "-c", Script, "modelswap-reaper", ownerTag ?? "", cgroups ?? ""]);
        var info = new ProcessStartInfo(argv[0]) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var arg in argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }
        try
        {
            return Process.Start(info) is { } process ? new SessionReaper(process) : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Kill group <paramref name="pgid"/> if ModelSwap dies before <see cref="Unregister"/>.</summary>
    public void Register(int pgid) => Send('+', pgid);

    /// <summary>The group is gone: forget it, so a later reuse of its number is never hit.</summary>
    public void Unregister(int pgid) => Send('-', pgid);

    /// <summary>What ModelSwap's death does: end of input, so the reaper kills what is registered and exits.</summary>
    internal void CloseInput()
    {
        lock (_gate)
        {
            _broken = true;
            _process.StandardInput.Close();
        }
    }

    private void Send(char op, int pgid)
    {
        lock (_gate)
        {
            if (_broken)
            {
                return;
            }
            try
            {
                _process.StandardInput.Write(op + pgid.ToString(CultureInfo.InvariantCulture) + "\n");
                _process.StandardInput.Flush();
            }
            catch (IOException)
            {
                // The reaper was killed by someone; model servers still die by the parent-death signal.
                _broken = true;
            }
        }
    }
}
