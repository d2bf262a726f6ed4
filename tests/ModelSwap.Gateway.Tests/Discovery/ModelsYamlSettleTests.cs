using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using ModelSwap.Gateway.Discovery;
using ModelSwap.Gateway.Hosting;

namespace ModelSwap.Gateway.Tests.Discovery;

/// <summary>
/// models.yaml, like a watched config.yaml, is applied only once it has stopped changing and parses:
/// a file written in two halves regenerates the config once, from the whole file. The settling clock
/// is a fake one, stepped once the watcher waits, so no sleep decides the outcome.
/// </summary>
public sealed class ModelsYamlSettleTests
{
    // The first half is a valid models.yaml of its own (minillama disabled): applying it would be a
    // regeneration without the alias the second half adds.
    private const string FirstHalf = """
        models:
          "minillama:1b-instruct":
            disabled: true
        """;

    private const string SecondHalf = """

          "tinyllama:1b-instruct":
            aliases: [my-favourite]

        """;

    [Fact]
    public async Task A_models_yaml_written_in_two_halves_is_applied_once_and_whole()
    {
        var time = new FakeTimeProvider();
        var interval = TimeSpan.FromSeconds(1);
        await using var host = await DiscoveryTestHost.StartAsync(folders =>
        {
            folders.Tiny("tinyllama-1b-instruct.gguf");
            folders.Tiny("minillama-1b-instruct.gguf");
        }, configureServices: services => services.Replace(ServiceDescriptor.Singleton(new ReloadTiming(time, interval))));
        var watcher = host.App.Services.GetRequiredService<ModelDirectoryWatcher>();
        // The watcher's first regeneration arms its watches; a file written before could be read by it unsettled.
        await DiscoveryTestHost.WaitUntilAsync(() => Task.FromResult(watcher.Regenerations >= 1), "the watcher arming");
        var generated = new ConcurrentQueue<string>();
        host.Catalog.Regenerated += (result, _) => generated.Enqueue(result.Generation.Yaml);
        Directory.CreateDirectory(host.Home);
        var path = Path.Combine(host.Home, "models.yaml");

        await using (var writer = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite))
        {
            await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(FirstHalf));
            await writer.FlushAsync();
            // The watcher has read the first half and waits for quiet; the second half comes within it.
            await DiscoveryTestHost.WaitUntilAsync(() => Task.FromResult(watcher.SettleWaits >= 1), "the watcher settling models.yaml");
            await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(SecondHalf));
        }
        time.Advance(interval);
        // The second read (the whole file) differs from the first: nothing applied, it waits again.
        await DiscoveryTestHost.WaitUntilAsync(() => Task.FromResult(watcher.SettleWaits >= 2), "a second settling wait");
        Assert.Empty(generated);
        time.Advance(interval);
        await DiscoveryTestHost.WaitUntilAsync(() => Task.FromResult(!generated.IsEmpty), "the regeneration from models.yaml");

        var applied = Assert.Single(generated);
        Assert.Contains("my-favourite", applied, StringComparison.Ordinal);
        Assert.DoesNotContain("minillama", applied, StringComparison.Ordinal);
        await DiscoveryTestHost.WaitUntilAsync(async () => (await host.ModelIdsAsync()).SequenceEqual(["tinyllama:1b-instruct"]), "the disabled model leaving");
    }
}
