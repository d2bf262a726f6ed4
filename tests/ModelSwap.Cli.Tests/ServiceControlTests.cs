using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Testing;

namespace ModelSwap.Cli.Tests;

/// <summary>Honest service control: start fails fast and says why, a second start is refused, status never crashes.</summary>
public sealed class ServiceControlTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("modelswap-home-").FullName;

    [Fact]
    public async Task Start_on_a_taken_port_fails_naming_the_holder_without_a_stack_trace()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var (code, _, stderr) = await RunAsync("start", "--config", await WriteConfigAsync(), "--listen", $"127.0.0.1:{port}");

        Assert.Equal(1, code);
        Assert.Contains($"port {port} is in use by pid {Environment.ProcessId}", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(Path.Combine(_home, "modelswap.pid.json")), "a failed start must not record a service");
    }

    [Fact]
    public async Task Serve_on_a_taken_port_fails_in_one_line()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var (code, _, stderr) = await RunAsync("serve", "--config", await WriteConfigAsync(), "--listen", $"127.0.0.1:{port}");

        Assert.Equal(1, code);
        Assert.Contains($"port {port} is in use by pid {Environment.ProcessId}", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task A_second_start_is_refused_and_status_reports_json()
    {
        var port = FreePort.Get();
        var config = await WriteConfigAsync();
        await using (await new CliRunner(_home).StartServiceAsync("--config", config, "--listen", $"127.0.0.1:{port}"))
        {
            var recorded = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_home, "modelswap.pid.json")))!["Pid"]!.GetValue<int>();

            // Same state dir, other port: refused by the record.
            var (again, _, againErr) = await RunAsync("start", "--config", config, "--listen", $"127.0.0.1:{FreePort.Get()}");
            Assert.Equal(1, again);
            Assert.Contains($"already running (pid {recorded})", againErr);

            // Other state dir, same port: refused by the port check, naming the service.
            var otherHome = Directory.CreateTempSubdirectory("modelswap-home-").FullName;
            var (samePort, _, samePortErr) = await new CliRunner(otherHome).RunAsync("start", "--config", config, "--listen", $"127.0.0.1:{port}");
            Assert.Equal(1, samePort);
            Assert.Contains($"port {port} is in use by pid {recorded}", samePortErr);
            Directory.Delete(otherHome, recursive: true);

            using (var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") })
            {
                using var chat = await client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"model-a"}""", System.Text.Encoding.UTF8, "application/json"));
                chat.EnsureSuccessStatusCode();
            }
            var (status, json, statusErr) = await RunAsync("status", "--format", "json");
            Assert.True(status == 0, statusErr);
            var report = JsonNode.Parse(json)!;
            Assert.True(report["running"]!.GetValue<bool>());
            Assert.Equal($"http://127.0.0.1:{port}", report["url"]!.GetValue<string>());
            Assert.Equal(recorded, report["pid"]!.GetValue<int>());
            Assert.False(string.IsNullOrEmpty(report["version"]!.GetValue<string>()));
            Assert.True(report["uptimeSeconds"]!.GetValue<long>() >= 0);
            Assert.Equal(1, report["models"]!.GetValue<int>());
            Assert.Equal("model-a", report["loaded"]!.AsArray().Single()!["model"]!.GetValue<string>());
            // From the typed management status: the config served and how many models are ready.
            Assert.Equal("ready", report["loaded"]!.AsArray().Single()!["state"]!.GetValue<string>());
            Assert.Equal(1, report["ready"]!.GetValue<int>());
            Assert.Equal(config, report["config"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Status_on_a_foreign_server_says_whose_it_is()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapGet("/health", () => "OK");
        app.MapGet("/v1/models", () => "not json");
        app.MapGet("/running", () => "not json either");
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var (code, stdout, stderr) = await RunAsync("status", "--url", url);
        Assert.Equal(3, code);
        Assert.DoesNotContain("Exception", stderr);
        Assert.Contains("not ModelSwap", stdout);
        Assert.Contains($"pid {Environment.ProcessId}", stdout);

        var (jsonCode, json, _) = await RunAsync("status", "--url", url, "--format", "json");
        Assert.Equal(3, jsonCode);
        var report = JsonNode.Parse(json)!;
        Assert.False(report["running"]!.GetValue<bool>());
        Assert.True(report["foreign"]!.GetValue<bool>());
        Assert.Equal(Environment.ProcessId, report["pid"]!.GetValue<int>());

        // Other verbs that talk to the service fail in one line too, never with a stack trace.
        var (ps, _, psErr) = await RunAsync("ps", "--url", url);
        Assert.NotEqual(0, ps);
        Assert.StartsWith("error: ", psErr);
        Assert.DoesNotContain("   at ", psErr);
        Assert.Single(psErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Service_install_writes_a_unit_that_systemd_analyze_accepts_and_uninstall_removes_it()
    {
        var xdg = Path.Combine(_home, "xdg");
        var config = await WriteConfigAsync();
        var cli = new CliRunner(_home).With(("XDG_CONFIG_HOME", xdg));
        var (code, stdout, stderr) = await cli.RunAsync("service", "install", "--user", "--config", config, "--listen", "127.0.0.1:8091");
        Assert.True(code == 0, stderr);
        var unit = Path.Combine(xdg, "systemd", "user", "modelswap.service");
        Assert.Equal(unit, stdout.Trim());
        var text = await File.ReadAllTextAsync(unit);
        Assert.Contains("Type=notify", text);
        Assert.Contains($"\"--config\" \"{config}\"", text);
        Assert.Contains($"Environment=\"MODELSWAP_HOME={_home}\"", text);

        var verify = await cli.RunToolAsync("systemd-analyze", "verify", unit);
        Assert.True(verify.Code == 0 && verify.Stderr.Trim().Length == 0, $"systemd-analyze verify: {verify.Code} {verify.Stderr}");

        var (noUser, _, noUserErr) = await cli.RunAsync("service", "install");
        Assert.Equal(2, noUser);
        Assert.Contains("--user", noUserErr);

        var (removed, _, removedErr) = await cli.RunAsync("service", "uninstall", "--user");
        Assert.True(removed == 0, removedErr);
        Assert.False(File.Exists(unit));
    }

    [Fact]
    public void The_startup_line_names_models_yaml_only_when_it_exists()
    {
        var path = Path.Combine(_home, "models.yaml");
        var missing = ModelSwap.Cli.Commands.ServeCommand.SettingsNote(path);
        Assert.Contains($"create {path}", missing);
        File.WriteAllText(path, "settings: {}\n");
        Assert.Equal($"your settings: {path}", ModelSwap.Cli.Commands.ServeCommand.SettingsNote(path));
    }

    private async Task<string> WriteConfigAsync()
    {
        var config = Path.Combine(_home, "config.yaml");
        await File.WriteAllTextAsync(config, $"""
            startPort: {ModelSwap.Testing.TestPorts.NextBlock()}
            models:
              model-a:
                cmd: {ServeProcess.FakeCmd("a")}
            """);
        return config;
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
