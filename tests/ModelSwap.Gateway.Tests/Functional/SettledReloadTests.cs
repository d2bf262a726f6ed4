using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>
/// A watched config is applied only once it has stopped changing and parses. The reloader's clock is
/// a fake one, stepped by the test once the reloader waits, so no sleep decides the outcome.
/// </summary>
public sealed class SettledReloadTests
{
    private static string Models(string aArgs, bool withB) => $"""
        models:
          model-a:
            cmd: {GatewayTestHost.FakeCmd("a", aArgs)}
        """ + (withB ? $"""

          model-b:
            cmd: {GatewayTestHost.FakeCmd("b")}
        """ : "") + "\n";

    [Fact]
    public async Task A_config_written_in_two_halves_is_never_applied_half_way()
    {
        var time = new FakeTimeProvider();
        var interval = TimeSpan.FromSeconds(1);
        await using var host = await GatewayTestHost.StartAsync(Models("", withB: true), watchConfig: true,
            services => services.Replace(ServiceDescriptor.Singleton(new ReloadTiming(time, interval))));
        var pidB = await host.PidOfAsync("model-b");
        var full = Models("--ready-delay 10", withB: true);
        // The first half is itself a valid config (model-a changed, model-b gone): applying it would stop model-b.
        var half = Models("--ready-delay 10", withB: false);
        Assert.StartsWith(half.TrimEnd(), full, StringComparison.Ordinal);

        await using (var writer = new FileStream(host.ConfigPath, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite))
        {
            await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(half.TrimEnd()));
            await writer.FlushAsync();
            // The reloader has read the half and waits for quiet; the writer's second half comes
            // within the quiet interval (the writer paused 0.6 s; the interval is 1 s).
            await SwappingTests.WaitUntilAsync(() => Task.FromResult(host.Reloader.SettleWaits >= 1));
            await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(full[half.TrimEnd().Length..]));
        }
        time.Advance(interval);
        // It read the whole file, which differs from the half: not applied, it waits again.
        await SwappingTests.WaitUntilAsync(() => Task.FromResult(host.Reloader.SettleWaits >= 2));
        Assert.Equal(0, host.Reloader.AppliedReloads);
        Assert.Contains("model-b", host.Coordinator.Config.Models.Keys);
        time.Advance(interval);
        await SwappingTests.WaitUntilAsync(() => Task.FromResult(host.Reloader.AppliedReloads == 1));

        Assert.Contains("model-b", host.Coordinator.Config.Models.Keys);
        Assert.Equal(pidB, await host.PidOfAsync("model-b"));
        Assert.True(ProcessProbe.IsAlive(pidB), "model-b was stopped by a half-written config");
        Assert.DoesNotContain("1 removed", await host.Client.GetStringAsync("/logs"));
    }

    [Fact]
    public async Task An_atomic_rename_into_place_is_picked_up()
    {
        var time = new FakeTimeProvider();
        var interval = TimeSpan.FromSeconds(1);
        await using var host = await GatewayTestHost.StartAsync(Models("", withB: false), watchConfig: true,
            services => services.Replace(ServiceDescriptor.Singleton(new ReloadTiming(time, interval))));
        var temp = host.ConfigPath + ".tmp";
        await File.WriteAllTextAsync(temp, Models("", withB: true));

        File.Move(temp, host.ConfigPath, overwrite: true);
        await SwappingTests.WaitUntilAsync(() => Task.FromResult(host.Reloader.SettleWaits >= 1));
        time.Advance(interval);
        await SwappingTests.WaitUntilAsync(() => Task.FromResult(host.Reloader.AppliedReloads == 1));

        Assert.Contains("model-b", host.Coordinator.Config.Models.Keys);
    }
}
