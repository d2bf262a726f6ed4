using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Core.Catalog;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Gateway.Discovery;
using ModelSwap.Gateway.Tests.Functional;

using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Discovery;

/// <summary>
/// Serving from a models folder with no YAML: files dropped in or taken out while serving come and
/// go from /v1/models and answer through the real engine, without touching running models.
/// </summary>
public sealed class DiscoveryServeTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_model_added_while_serving_appears_and_answers_and_a_removed_one_leaves(bool polling)
    {
        await using var host = await DiscoveryTestHost.StartAsync(folders =>
        {
            folders.Tiny("tinyllama-1b-instruct.gguf");
            folders.Tiny("tiny-embed-v1.5.gguf", embedding: true);
        }, polling);
        Assert.Equal(polling, host.App.Services.GetRequiredService<ModelDirectoryWatcher>().IsPolling);
        Assert.Equal(["tiny-embed:v1.5", "tinyllama:1b-instruct"], (await host.ModelIdsAsync()).Order(StringComparer.Ordinal).ToArray());

        // The embedder is persistent and outside the chat swap group: it must survive everything below.
        await host.EmbedAsync(AliasRules.EmbeddingAda);
        await host.ChatAsync("tinyllama:1b-instruct");
        var before = await host.RunningAsync();
        var embedPid = before["tiny-embed:v1.5"];
        var chatPid = before["tinyllama:1b-instruct"];

        var added = host.AddModel("newcomer-0.5b-instruct.gguf", seed: 7);
        await DiscoveryTestHost.WaitUntilAsync(async () => (await host.ModelIdsAsync()).Contains("newcomer:0.5b-instruct"), "the new model appearing");

        var after = await host.RunningAsync();
        Assert.Equal(embedPid, after["tiny-embed:v1.5"]);
        Assert.Equal(chatPid, after["tinyllama:1b-instruct"]);
        // The newest small instruct model takes gpt-3.5-turbo (most recently added wins).
        var reply = await host.ChatAsync(AliasRules.SmallChat);
        Assert.False(string.IsNullOrEmpty(reply["choices"]![0]!["message"]!["content"]!.GetValue<string>()));
        Assert.Contains("newcomer:0.5b-instruct", (await host.RunningAsync()).Keys);

        var newcomerPid = (await host.RunningAsync())["newcomer:0.5b-instruct"];
        File.Delete(added);
        await DiscoveryTestHost.WaitUntilAsync(async () => !(await host.ModelIdsAsync()).Contains("newcomer:0.5b-instruct"), "the removed model leaving");

        Assert.True(await ProcessProbe.WaitForExitAsync(newcomerPid, DiscoveryTestHost.HangGuard), "the removed model's server should stop");
        Assert.Equal(embedPid, (await host.RunningAsync())["tiny-embed:v1.5"]);
        Assert.True(ProcessProbe.IsAlive(embedPid));
        using var gone = await host.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "newcomer:0.5b-instruct", messages = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        // gpt-3.5-turbo went back to the remaining small chat model.
        await host.ChatAsync(AliasRules.SmallChat);
        Assert.Contains("tinyllama:1b-instruct", (await host.RunningAsync()).Keys);
    }

    [Fact]
    public async Task Corrupt_and_half_copied_files_are_skipped_with_warnings_and_served_once_complete()
    {
        await using var host = await DiscoveryTestHost.StartAsync(folders => folders.Tiny("tinyllama-1b-instruct.gguf"));
        var corrupt = Path.Combine(host.ModelsDir, "broken-7b-q4_k_m.gguf");
        await File.WriteAllBytesAsync(corrupt, [.. Enumerable.Range(0, 1000).Select(i => (byte)(i * 7))]);
        var complete = Path.Combine(host.Root, "staging", "halfway-1b-instruct.gguf");
        Directory.CreateDirectory(Path.GetDirectoryName(complete)!);
        TinyModelBuilder.Write(complete);
        var bytes = await File.ReadAllBytesAsync(complete);
        var partial = Path.Combine(host.ModelsDir, "halfway-1b-instruct.gguf");
        await File.WriteAllBytesAsync(partial, bytes[..(bytes.Length / 3)]);

        JsonObject? report = null;
        await DiscoveryTestHost.WaitUntilAsync(async () =>
        {
            using var response = await host.Client.PostAsync("/api/config/regenerate", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            // Until the files settle (1 s) they are only pending; then the warnings say why they are skipped.
            return report["warnings"]!.AsArray().Count == 2;
        }, "both files reported");

        Assert.Equal(1, report!["models"]!.GetValue<int>());
        var warnings = report["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
        Assert.Contains(warnings, w => w.StartsWith(corrupt + ": skipped: not a readable GGUF file", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith(partial + ": skipped for now: incomplete", StringComparison.Ordinal));
        Assert.Equal([partial], report["pending"]!.AsArray().Select(p => p!.GetValue<string>()).ToArray());
        Assert.Equal(["tinyllama:1b-instruct"], await host.ModelIdsAsync());
        Assert.Contains("broken-7b-q4_k_m.gguf", await host.Client.GetStringAsync("/logs"), StringComparison.Ordinal);

        // The copy finishes: the watcher picks it up without being asked.
        await using (var append = new FileStream(partial, FileMode.Append))
        {
            await append.WriteAsync(bytes.AsMemory(bytes.Length / 3));
        }
        await DiscoveryTestHost.WaitUntilAsync(async () => (await host.ModelIdsAsync()).Contains("halfway:1b-instruct"), "the completed file appearing");
        await host.ChatAsync("halfway:1b-instruct");
        Assert.DoesNotContain("broken:7b", await host.ModelIdsAsync());
    }

    [Fact]
    public async Task Regenerate_reports_the_models_and_applies_a_models_yaml_change()
    {
        await using var host = await DiscoveryTestHost.StartAsync(folders =>
        {
            folders.Tiny("tinyllama-1b-instruct.gguf");
            folders.Tiny("minillama-1b-instruct.gguf");
        });
        await File.WriteAllTextAsync(Path.Combine(host.Home, "models.yaml"), """
            models:
              "minillama:1b-instruct":
                disabled: true
              "tinyllama:1b-instruct":
                aliases: [my-favourite]
            """);

        using var response = await host.Client.PostAsync("/api/config/regenerate", null);
        var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(1, report["models"]!.GetValue<int>());
        Assert.Equal(["tinyllama:1b-instruct"], report["names"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray());
        Assert.Empty(report["errors"]!.AsArray());
        Assert.Null(report["llamaServer"]);
        await DiscoveryTestHost.WaitUntilAsync(async () => (await host.ModelIdsAsync()).SequenceEqual(["tinyllama:1b-instruct"]), "the disabled model leaving");
        await host.ChatAsync("my-favourite");
        Assert.Equal(["tinyllama:1b-instruct"], (await host.RunningAsync()).Keys.ToArray());
    }

    [Fact]
    public async Task Regenerate_on_a_given_config_file_is_a_clear_error()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              fixed:
                cmd: {GatewayTestHost.FakeCmd("fixed")}
            """);

        using var response = await host.Client.PostAsync("/api/config/regenerate", null);

        await RoutingTests.AssertEnvelopeAsync(response, HttpStatusCode.Conflict, "config_not_generated");
    }
}
