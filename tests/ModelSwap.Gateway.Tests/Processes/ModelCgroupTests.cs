using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Tests.Processes;

/// <summary>
/// The stronger stray tracking where cgroups can be made: each model server run in a cgroup of its
/// own, which holds even a descendant that cleared its environment (no tag), left the session
/// (setsid) and lost its parent link (double fork). This machine (root, writable cgroup2) can.
/// </summary>
public sealed class ModelCgroupTests : IAsyncLifetime
{
    private readonly ProcessTestKit _kit = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task A_descendant_that_cleared_its_environment_and_escaped_is_killed_by_the_stop()
    {
        Assert.True(CgroupOwner.Directory is not null, "cgroup v2 is writable here, so ModelSwap must use it");
        var model = Escaper();
        var process = _kit.Create(model);
        await process.StartAsync(CancellationToken.None);
        var stray = ProcessTestKit.PidFromLogs(process, "stray pid");
        _kit.Track(stray);

        // Escaped every other tracking: its own session, no parent link to the server, no tag.
        Assert.True(await ProcessTestKit.EventuallyAsync(() => ProcessTree.Read(stray) is { Session: var sid } && sid == stray && ProcessTree.Read(stray)!.Value.ParentPid != process.ProcessId),
            "the stray never left the session");
        Assert.DoesNotContain(ProcessTags.Find(ProcessTags.RunVariable, RunTagOf(process)), e => e.Pid == stray);
        var cgroup = CgroupOf(stray);
        Assert.StartsWith(CgroupOf(process.ProcessId!.Value), cgroup, StringComparison.Ordinal);
        Assert.Contains("/modelswap-", cgroup, StringComparison.Ordinal);

        await process.StopAsync(CancellationToken.None);

        Assert.True(await ProcessTestKit.EventuallyAsync(() => !ProcessTree.IsAlive(stray), TimeSpan.FromMinutes(2)), $"stray {stray} outlived the stop");
        var folder = Path.Join(CgroupOwner.OwnCgroupFolder()![..^CgroupOf(Environment.ProcessId).TrimEnd('/').Length], cgroup);
        Assert.True(await ProcessTestKit.EventuallyAsync(() => !Directory.Exists(folder), TimeSpan.FromMinutes(2)), $"the cgroup {folder} was left behind");
    }

    [Fact]
    public async Task The_reaper_kills_every_cgroup_when_ModelSwap_is_gone()
    {
        // An owner folder of its own: the sweep kills every cgroup below it, and other tests' servers run below the shared one.
        Assert.NotNull(CgroupOwner.Directory);
        var owner = Path.Combine(CgroupOwner.OwnCgroupFolder()!, "modelswap-reaper-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(owner);
        var cgroup = ModelCgroup.Create(owner, "1");
        Assert.NotNull(cgroup);
        // A process in the cgroup with a clean environment and a session of its own.
        using var stray = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", "echo $$ >\"$0/cgroup.procs\" && exec env -i setsid sleep 3603", cgroup.Path },
            UseShellExecute = false,
        })!;
        _kit.Track(stray.Id);
        Assert.True(await ProcessTestKit.EventuallyAsync(() => cgroup.Members().Contains(stray.Id), TimeSpan.FromMinutes(2)), "the process never joined the cgroup");
        var reaper = SessionReaper.Start(new LaunchWrapper(null, null), ownerTag: null, cgroups: owner);
        Assert.NotNull(reaper);

        // What ModelSwap's death does: the reaper's input ends.
        reaper.CloseInput();

        Assert.True(await ProcessTestKit.EventuallyAsync(() => stray.HasExited, TimeSpan.FromMinutes(2)), "the process in the cgroup outlived the reaper's sweep");
        Assert.True(await ProcessTestKit.EventuallyAsync(() => !Directory.Exists(owner), TimeSpan.FromMinutes(2)), "the cgroups were left behind");
    }

    /// <summary>A wrapper that double-forks `env -i setsid sleep` (no tag, own session, parent gone), then becomes the fake upstream.</summary>
    private static ModelConfig Escaper()
    {
        var fake = ProcessTestKit.FakeModel("escaper");
        var command = string.Join(' ', fake.Command.Select(a => "'" + a + "'"));
        return fake with { Command = ["/bin/sh", "-c", $"( env -i setsid sleep 3602 & echo \"stray pid $!\" ); exec {command}"] };
    }

    private static string CgroupOf(int pid) =>
        File.ReadAllLines($"/proc/{pid}/cgroup").Single(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];

    private static string RunTagOf(ModelProcess process) =>
        System.Text.Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{process.ProcessId}/environ")).Split('\0')
            .Single(v => v.StartsWith(ProcessTags.RunVariable + "=", StringComparison.Ordinal))[(ProcessTags.RunVariable.Length + 1)..];
}
