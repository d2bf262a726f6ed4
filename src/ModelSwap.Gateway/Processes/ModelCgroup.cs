using System.Globalization;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// The cgroup of one model server run: the server joins it before it execs (so every descendant is born
/// in it), and nothing a descendant does takes it out: not setsid, not a double fork, not clearing its
/// environment (which hides it from <see cref="ProcessTags"/>). Killing the cgroup ends them all.
/// </summary>
internal sealed class ModelCgroup
{
    // $0 is the cgroup folder, "$@" the server's command. A failed move (no permission after all)
    // still starts the server; the environment tag then finds its strays.
    private const string JoinScript = """{ echo $$ >"$0/cgroup.procs"; } 2>/dev/null; exec "$@" """;

    private ModelCgroup(string path) => Path = path;

    public string Path { get; }

    /// <summary>A new cgroup below <paramref name="owner"/> (<see cref="CgroupOwner.Directory"/>); null when it cannot be made.</summary>
    public static ModelCgroup? Create(string? owner, string runTag)
    {
        if (owner is null)
        {
            return null;
        }
        var path = System.IO.Path.Combine(owner, "run-" + runTag.Replace('.', '-'));
        try
        {
            Directory.CreateDirectory(path);
            return File.Exists(System.IO.Path.Combine(path, "cgroup.procs")) ? new ModelCgroup(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary><paramref name="command"/>, preceded by the shell that moves itself into this cgroup and execs it (same pid).</summary>
    public IReadOnlyList<string> Join(IReadOnlyList<string> command) => ["/bin/sh", "-c", JoinScript, Path, .. command];

    /// <summary>The pids in the cgroup now.</summary>
    public IReadOnlyList<int> Members()
    {
        try
        {
            return [.. File.ReadAllLines(System.IO.Path.Combine(Path, "cgroup.procs"))
                .Select(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
                .Where(pid => pid > 0)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>SIGKILLs every process in the cgroup (cgroup.kill where the kernel has it, 5.14+); returns how many there were.</summary>
    public int Kill()
    {
        var members = Members();
        if (members.Count == 0)
        {
            return 0;
        }
        try
        {
            File.WriteAllText(System.IO.Path.Combine(Path, "cgroup.kill"), "1");
            return members.Count;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No cgroup.kill: one by one, twice for any forked in between.
        }
        foreach (var pid in members.Concat(Members()))
        {
            PosixNative.Kill(pid, PosixNative.SigKill);
        }
        return members.Count;
    }

    /// <summary>Kills what is left and removes the cgroup once empty (a killed process leaves it a moment later).</summary>
    public async Task DisposeAsync()
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            Kill();
            if (CgroupOwner.TryRemove(Path))
            {
                return;
            }
            // The kernel's own pace, not a product timeout: a fake clock must not stall it.
            await Task.Delay(25).ConfigureAwait(false);
        }
    }
}
