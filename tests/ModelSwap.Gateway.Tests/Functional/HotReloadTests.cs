using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>A changed config restarts only the models whose definition changed.</summary>
public sealed class HotReloadTests
{
    private static string Config(string bArgs, string extraModel = "") => $"""
        models:
          model-a:
            cmd: {GatewayTestHost.FakeCmd("a")}
          model-b:
            cmd: {GatewayTestHost.FakeCmd("b", bArgs)}
        {extraModel}
        groups:
          all:
            swap: false
            exclusive: false
            members: [model-a, model-b]
        """;

    [Fact]
    public async Task Watched_config_change_keeps_unchanged_model_pid_and_restarts_changed_one()
    {
        await using var host = await GatewayTestHost.StartAsync(Config(""), watchConfig: true);
        var pidA = await host.PidOfAsync("model-a");
        var pidB = await host.PidOfAsync("model-b");
        var applied = host.Reloader.AppliedReloads;

        await File.WriteAllTextAsync(host.ConfigPath, Config("--ready-delay 10", $"""
              model-c:
                cmd: {GatewayTestHost.FakeCmd("c")}
            """));
        await SwappingTests.WaitUntilAsync(() => Task.FromResult(host.Reloader.AppliedReloads > applied));

        Assert.True(await ProcessProbe.WaitForExitAsync(pidB, TimeSpan.FromMinutes(2)), "changed model-b should be stopped");
        Assert.Equal(pidA, await host.PidOfAsync("model-a"));
        Assert.True(ProcessProbe.IsAlive(pidA));
        Assert.NotEqual(pidB, await host.PidOfAsync("model-b"));
        Assert.Equal("c", (await host.ChatAsync("model-c"))["fake"]!["upstream"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_config_keeps_the_last_good_one()
    {
        await using var host = await GatewayTestHost.StartAsync(Config(""));
        var pidA = await host.PidOfAsync("model-a");
        await File.WriteAllTextAsync(host.ConfigPath, "models:\n  model-a:\n    ttl: not-a-number\n");
        var result = await host.Reloader.ReloadAsync(CancellationToken.None);
        Assert.NotNull(result);
        Assert.False(result!.IsValid);
        Assert.Equal(pidA, await host.PidOfAsync("model-a"));
        Assert.Contains("last good configuration", await host.Client.GetStringAsync("/logs"));
    }
}
