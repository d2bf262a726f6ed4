using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace ModelSwap.Cli.Tests;

/// <summary>
/// The real `modelswap serve` process: when it is stopped (SIGTERM) or killed (SIGKILL) no model
/// server may outlive it.
/// </summary>
public sealed class ServeProcessTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigKill = 9;
    private const int SigTerm = 15;

    [Theory]
    [InlineData(SigTerm)]
    [InlineData(SigKill)]
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

        Assert.Equal(0, kill(serve.Process.Id, signal));
        Assert.True(serve.Process.WaitForExit(TimeSpan.FromSeconds(30)), "modelswap did not exit");
        if (signal == SigTerm)
        {
            Assert.Equal(0, serve.Process.ExitCode);
        }
        foreach (var pid in pids)
        {
            Assert.True(await WaitForExitAsync(pid, TimeSpan.FromSeconds(15)), $"model server {pid} outlived modelswap (signal {signal})");
        }
    }

    [Theory]
    [InlineData(SigKill)]
    [InlineData(SigTerm)]
    public async Task A_grandchild_that_left_the_session_dies_with_the_gateway(int signal)
    {
        // A wrapper script that starts a stray in a session of its own (as some launchers do), then
        // becomes the server: the stray is in no group ModelSwap started and has no parent link to it.
        var fake = ServeProcess.FakeCmd("a").Replace("'", "", StringComparison.Ordinal);
        await using var serve = await ServeProcess.StartAsync($"""
            models:
              model-a:
                cmd: /bin/sh -c 'setsid sleep 3601 & echo "stray pid $!"; exec {fake}'
            """);
        using (var response = await serve.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "model-a" }))
        {
            response.EnsureSuccessStatusCode();
        }
        var logs = await serve.Client.GetStringAsync("/logs");
        var strayLine = logs.Split('\n').First(l => l.Contains("stray pid", StringComparison.Ordinal));
        var stray = int.Parse(strayLine[(strayLine.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            Assert.True(IsAlive(stray));
            Assert.NotEqual(File.ReadAllText($"/proc/{stray}/stat").Split(' ')[5], File.ReadAllText($"/proc/{serve.Process.Id}/stat").Split(' ')[5]);

            Assert.Equal(0, kill(serve.Process.Id, signal));
            Assert.True(serve.Process.WaitForExit(TimeSpan.FromSeconds(60)), "modelswap did not exit");
            Assert.True(await WaitForExitAsync(stray, TimeSpan.FromSeconds(30)), $"the setsid grandchild {stray} outlived modelswap (signal {signal})");
        }
        finally
        {
            kill(stray, SigKill);
        }
    }

    [Fact]
    public async Task Sighup_reloads_the_config_file_and_keeps_unchanged_models_running()
    {
        var config = $"""
            models:
              model-a:
                cmd: {ServeProcess.FakeCmd("a")}
            """;
        await using var serve = await ServeProcess.StartAsync(config);
        using (var first = await serve.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "model-a" }))
        {
            first.EnsureSuccessStatusCode();
        }
        var pid = await PidAsync(serve, "model-a");
        await File.WriteAllTextAsync(serve.ConfigPath, config + $"""

              model-b:
                cmd: {ServeProcess.FakeCmd("b")}
            """);
        Assert.Equal(0, kill(serve.Process.Id, SigHup));
        var clock = Stopwatch.StartNew();
        while (!(await serve.Client.GetStringAsync("/v1/models")).Contains("model-b", StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "SIGHUP did not reload the config");
            await Task.Delay(50);
        }
        Assert.Equal(pid, await PidAsync(serve, "model-a"));
    }

    private const int SigHup = 1;

    private static async Task<int> PidAsync(ServeProcess serve, string model)
    {
        using var response = await serve.Client.PostAsJsonAsync("/v1/chat/completions", new { model });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["fake"]!["pid"]!.GetValue<int>();
    }

    internal static bool IsAlive(int pid) => ModelSwap.Testing.ProcessProbe.IsAlive(pid);

    internal static Task<bool> WaitForExitAsync(int pid, TimeSpan within) => ModelSwap.Testing.ProcessProbe.WaitForExitAsync(pid, within);
}
