using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Processes;
using ModelSwap.Gateway.Tests.Functional;

namespace ModelSwap.Gateway.Tests.Processes;

/// <summary>A foreign listener on a model's port never answers for the model and never sees its requests.</summary>
public sealed class PortOwnershipTests
{
    [Fact]
    public async Task An_impostor_on_the_models_port_receives_nothing_and_the_model_is_served_by_its_own_server()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
            """);
        var port = host.Coordinator.Config.Models["model-a"].Port!.Value;
        // Another program takes the port after the config was loaded, before the model starts.
        using var impostor = new TcpListener(IPAddress.Loopback, port);
        impostor.Start();
        var accepted = impostor.AcceptTcpClientAsync();

        var reply = await host.ChatAsync("model-a");
        Assert.Equal("a", reply["fake"]!["upstream"]!.GetValue<string>());
        var running = await host.Client.GetFromJsonAsync<JsonObject>("/running");
        Assert.Equal(reply["fake"]!["pid"]!.GetValue<int>(), running!["running"]![0]!["pid"]!.GetValue<int>());
        Assert.False(accepted.IsCompleted, "the impostor received a connection");
        var logs = await host.Client.GetStringAsync("/logs");
        Assert.Contains($"Port {port} of model model-a is taken by another process", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_dies_with_address_in_use_is_started_again_on_a_new_port_and_the_request_succeeds()
    {
        var marker = Path.Combine(Path.GetTempPath(), "modelswap-bind-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var host = await GatewayTestHost.StartAsync($"""
                models:
                  model-a:
                    cmd: {GatewayTestHost.FakeCmd("a", "--fail-bind-once " + marker)}
                """);
            var configured = host.Coordinator.Config.Models["model-a"].Port!.Value;

            var reply = await host.ChatAsync("model-a");

            Assert.Equal("a", reply["fake"]!["upstream"]!.GetValue<string>());
            // The first server really was started on the configured port, and died there.
            Assert.Equal(configured.ToString(System.Globalization.CultureInfo.InvariantCulture), await File.ReadAllTextAsync(marker));
            var logs = await host.Client.GetStringAsync("/logs");
            Assert.Contains($"Model model-a could not bind port {configured} (address in use); starting it once more on port", logs, StringComparison.Ordinal);
            var running = await host.Client.GetFromJsonAsync<JsonObject>("/running");
            Assert.Equal(reply["fake"]!["pid"]!.GetValue<int>(), running!["running"]![0]!["pid"]!.GetValue<int>());
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public async Task The_readiness_guard_refuses_a_listener_outside_the_process_tree()
    {
        using var impostor = new TcpListener(IPAddress.Loopback, 0);
        impostor.Start();
        var port = ((IPEndPoint)impostor.LocalEndpoint).Port;
        var model = new Core.Configuration.ModelConfig
        {
            Id = "m",
            Command = ["sleep", "60"],
            Proxy = new Uri($"http://127.0.0.1:{port}"),
            Port = port,
        };
        using var sleeper = System.Diagnostics.Process.Start("sleep", "60");
        try
        {
            var guard = PortOwnership.GuardFor(model, () => sleeper.Id);
            Assert.NotNull(guard);
            Assert.Contains("did not start", guard!(), StringComparison.Ordinal);
            // The listener's own process (this test host) owns it.
            var own = PortOwnership.GuardFor(model, () => Environment.ProcessId);
            Assert.Null(own!());
            Assert.False(PortOwnership.IsFree(port));
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Fact]
    public void Relocating_replaces_the_port_in_the_command_and_the_proxy_only()
    {
        var model = new Core.Configuration.ModelConfig
        {
            Id = "m",
            Command = ["server", "--port", "5801", "--host=127.0.0.1:5801", "/models/58010.gguf"],
            Proxy = new Uri("http://127.0.0.1:5801/v1"),
            Port = 5801,
        };
        var moved = PortOwnership.Relocate(model, 40123);
        Assert.Equal(["server", "--port", "40123", "--host=127.0.0.1:40123", "/models/58010.gguf"], moved.Command.ToArray());
        Assert.Equal(new Uri("http://127.0.0.1:40123/v1"), moved.Proxy);
        Assert.Equal(40123, moved.Port);
    }
}
