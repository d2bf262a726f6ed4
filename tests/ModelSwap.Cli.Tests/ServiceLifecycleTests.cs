using System.Text.Json.Nodes;
using ModelSwap.Testing;

namespace ModelSwap.Cli.Tests;

/// <summary>`start`, `status`, `ps`, `unload`, `restart` and `stop` against a real background service.</summary>
public sealed class ServiceLifecycleTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("modelswap-home-").FullName;

    [Fact]
    public async Task Start_status_ps_unload_restart_stop()
    {
        var port = FreePort.Get();
        var url = $"http://127.0.0.1:{port}";
        var config = Path.Combine(_home, "config.yaml");
        await File.WriteAllTextAsync(config, $"""
            startPort: {ModelSwap.Testing.TestPorts.NextBlock()}
            models:
              model-a:
                cmd: {ServeProcess.FakeCmd("a")}
            """);

        var (notYet, _, _) = await RunAsync("status", "--url", url);
        Assert.Equal(3, notYet);

        var (started, _, startErr) = await RunAsync("start", "--config", config, "--listen", $"127.0.0.1:{port}");
        Assert.True(started == 0, startErr);
        int? servicePid = null;
        try
        {
            var (status, statusOut, _) = await RunAsync("status");
            Assert.Equal(0, status);
            Assert.Contains("1 models", statusOut);
            servicePid = int.Parse(statusOut[(statusOut.IndexOf("pid ", StringComparison.Ordinal) + 4)..].Split(')')[0], System.Globalization.CultureInfo.InvariantCulture);

            using (var client = new HttpClient { BaseAddress = new Uri(url) })
            {
                using var chat = await client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"model-a"}""", System.Text.Encoding.UTF8, "application/json"));
                chat.EnsureSuccessStatusCode();
            }
            var (ps, psOut, _) = await RunAsync("ps", "--url", url, "--format", "json");
            Assert.Equal(0, ps);
            Assert.Equal("model-a", JsonNode.Parse(psOut)!.AsArray().Single()!["model"]!.GetValue<string>());

            var (unload, _, unloadErr) = await RunAsync("unload", "model-a", "--url", url);
            Assert.True(unload == 0, unloadErr);
            var (_, afterUnload, _) = await RunAsync("ps", "--url", url, "--format", "json");
            Assert.Empty(JsonNode.Parse(afterUnload)!.AsArray());

            var (unknown, _, unknownErr) = await RunAsync("unload", "nope", "--url", url);
            Assert.Equal(1, unknown);
            Assert.Contains("not configured", unknownErr);

            var (restarted, _, restartErr) = await RunAsync("restart");
            Assert.True(restarted == 0, restartErr);
            Assert.True(ServeProcessTests.IsAlive(servicePid.Value) is false, "restart must replace the old process");
            var (_, again, _) = await RunAsync("status");
            servicePid = int.Parse(again[(again.IndexOf("pid ", StringComparison.Ordinal) + 4)..].Split(')')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            var (stopped, _, stopErr) = await RunAsync("stop");
            Assert.True(stopped == 0, stopErr);
        }
        Assert.False(ServeProcessTests.IsAlive(servicePid!.Value));
        var (after, _, _) = await RunAsync("status");
        Assert.Equal(3, after);
    }

    [Fact]
    public async Task Verbs_that_need_the_service_say_it_is_not_running()
    {
        var url = $"http://127.0.0.1:{FreePort.Get()}";
        var (ps, _, psErr) = await RunAsync("ps", "--url", url);
        Assert.Equal(3, ps);
        Assert.Contains("not answering", psErr);
        var (bad, _, badErr) = await RunAsync("ps", "--url", "ftp://x");
        Assert.NotEqual(0, bad);
        Assert.Contains("not an http(s) URL", badErr);
        var (stop, _, stopErr) = await RunAsync("stop");
        Assert.Equal(0, stop);
        Assert.Contains("not running", stopErr);
    }

    private Task<CliResult> RunAsync(params string[] args) => new CliRunner(_home).RunAsync(args);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
