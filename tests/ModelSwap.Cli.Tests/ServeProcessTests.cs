using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Testing;

namespace ModelSwap.Cli.Tests;

/// <summary>
/// The real `modelswap serve` process: when it is stopped (SIGTERM) or killed (SIGKILL) no model
/// server may outlive it.
/// </summary>
public sealed class ServeProcessTests
{

    [Theory]
    [InlineData(Signals.Terminate)]
    [InlineData(Signals.Kill)]
    public async Task No_model_server_outlives_the_gateway(int signal)
    {
        await using var serve = await ServeProcess.StartAsync($"""
            models:
              model-a:
                cmd: {ServeProcess.FakeCmd("a")} --spawn-child
              model-b:
                cmd: {ServeProcess.FakeCmd("b")}
            groups:
              both:
                swap: false
                exclusive: false
                members: [model-a, model-b]
            """);
        var pids = new List<int>();
        foreach (var model in new[] { "model-a", "model-b" })
        {
            using var response = await serve.Client.PostAsJsonAsync("/v1/chat/completions", new { model });
            response.EnsureSuccessStatusCode();
            pids.Add((await response.Content.ReadFromJsonAsync<JsonObject>())!["fake"]!["pid"]!.GetValue<int>());
        }
        // model-a's server started a child of its own: it must not outlive modelswap either.
        var logs = await serve.Client.GetStringAsync("/logs");
        var childLine = logs.Split('\n').First(l => l.Contains("fake upstream child pid", StringComparison.Ordinal));
        pids.Add(int.Parse(childLine[(childLine.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(pids, pid => Assert.True(IsAlive(pid)));

        Assert.Equal(0, Signals.Send(serve.Process.Id, signal));
        Assert.True(serve.Process.WaitForExit(TimeSpan.FromMinutes(2)), "modelswap did not exit");
        if (signal == Signals.Terminate)
        {
            Assert.Equal(0, serve.Process.ExitCode);
        }
        foreach (var pid in pids)
        {
            Assert.True(await WaitForExitAsync(pid, TimeSpan.FromMinutes(2)), $"model server {pid} outlived modelswap (signal {signal})");
        }
    }

    [Theory]
    [InlineData(Signals.Kill, true)]
    [InlineData(Signals.Kill, false)]
    [InlineData(Signals.Terminate, false)]
    public async Task A_grandchild_that_left_the_session_dies_with_the_gateway(int signal, bool cgroups)
    {
        // A wrapper script that starts a stray in a session of its own (as some launchers do), then
        // becomes the server: the stray is in no group ModelSwap started and has no parent link to it.
        // With cgroups it also clears its environment (so no tag finds it) and double-forks: only the
        // server's cgroup holds it. Without (MODELSWAP_CGROUPS=off), the environment tag finds it.
        var fake = ServeProcess.FakeCmd("a").Replace("'", "", StringComparison.Ordinal);
        var stray = cgroups ? "( env -i setsid sleep 3601 & echo \"stray pid $!\" )" : "setsid sleep 3601 & echo \"stray pid $!\"";
        await using var serve = await ServeProcess.StartAsync($"""
            models:
              model-a:
                cmd: /bin/sh -c '{stray}; exec {fake}'
            """, new Dictionary<string, string> { ["MODELSWAP_CGROUPS"] = cgroups ? "on" : "off" });
        using (var response = await serve.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "model-a" }))
        {
            response.EnsureSuccessStatusCode();
        }
        var logs = await serve.Client.GetStringAsync("/logs");
        var strayLine = logs.Split('\n').First(l => l.Contains("stray pid", StringComparison.Ordinal));
        var strayPid = int.Parse(strayLine[(strayLine.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            Assert.True(IsAlive(strayPid));
            Assert.NotEqual(File.ReadAllText($"/proc/{strayPid}/stat").Split(' ')[5], File.ReadAllText($"/proc/{serve.Process.Id}/stat").Split(' ')[5]);
            Assert.Equal(cgroups, !File.ReadAllText($"/proc/{strayPid}/environ").Contains("MODELSWAP_OWNER=", StringComparison.Ordinal));

            Assert.Equal(0, Signals.Send(serve.Process.Id, signal));
            Assert.True(serve.Process.WaitForExit(TimeSpan.FromMinutes(2)), "modelswap did not exit");
            Assert.True(await WaitForExitAsync(strayPid, TimeSpan.FromMinutes(2)), $"the setsid grandchild {strayPid} outlived modelswap (signal {signal}, cgroups {cgroups})");
        }
        finally
        {
            Signals.Send(strayPid, Signals.Kill);
        }
    }

    [Fact]
    public Task Sighup_reloads_the_config_file_and_keeps_unchanged_models_running() => SighupReloadsAsync([]);

    /// <summary>
    /// nohup (and a shell without job control for its background jobs) starts the service with SIGHUP
    /// ignored; an ignore survives exec and .NET then never reports the signal. perl-base is on every Debian.
    /// </summary>
    [Fact]
    public Task Sighup_reloads_even_when_the_service_inherited_sighup_ignored_as_under_nohup() =>
        SighupReloadsAsync(["perl", "-e", "$SIG{HUP} = 'IGNORE'; exec @ARGV or die \"exec: $!\""]);

    private static async Task SighupReloadsAsync(IReadOnlyList<string> launcher)
    {
        var config = $"""
            models:
              model-a:
                cmd: {ServeProcess.FakeCmd("a")}
            """;
        await using var serve = await ServeProcess.StartAsync(config, new Dictionary<string, string>(), launcher);
        using (var first = await serve.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "model-a" }))
        {
            first.EnsureSuccessStatusCode();
        }
        var pid = await PidAsync(serve, "model-a");
        await File.WriteAllTextAsync(serve.ConfigPath, config + $"""

              model-b:
                cmd: {ServeProcess.FakeCmd("b")}
            """);
        Assert.Equal(0, Signals.Send(serve.Process.Id, Signals.Hangup));
        var clock = Stopwatch.StartNew();
        while (!(await serve.Client.GetStringAsync("/v1/models")).Contains("model-b", StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "SIGHUP did not reload the config; the service said:\n" + string.Join('\n', serve.Output));
            await Task.Delay(50);
        }
        Assert.Equal(pid, await PidAsync(serve, "model-a"));
    }


    private static async Task<int> PidAsync(ServeProcess serve, string model)
    {
        using var response = await serve.Client.PostAsJsonAsync("/v1/chat/completions", new { model });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["fake"]!["pid"]!.GetValue<int>();
    }

    internal static bool IsAlive(int pid) => ModelSwap.Testing.ProcessProbe.IsAlive(pid);

    internal static Task<bool> WaitForExitAsync(int pid, TimeSpan within) => ModelSwap.Testing.ProcessProbe.WaitForExitAsync(pid, within);
}
