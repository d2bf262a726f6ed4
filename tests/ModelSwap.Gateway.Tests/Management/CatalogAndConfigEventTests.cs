using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Tests.Discovery;
using ModelSwap.Gateway.Tests.Functional;

namespace ModelSwap.Gateway.Tests.Management;

/// <summary>
/// /api/events tells a page what changed without it polling: a model file dropped into a models
/// folder is a <c>catalog</c> event, an applied config a <c>config</c> event naming what it added.
/// </summary>
public sealed class CatalogAndConfigEventTests
{
    [Fact]
    public async Task A_model_dropped_into_the_folder_is_a_catalog_event_and_then_served()
    {
        await using var host = await DiscoveryTestHost.StartAsync(folders => folders.Tiny("first-chat-q8_0.gguf"));
        using var cancel = new CancellationTokenSource(DiscoveryTestHost.HangGuard);
        using var response = await host.Client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        var events = new SseReader(new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token)));
        var snapshot = (await events.NextAsync(cancel.Token))!.Value;
        Assert.Equal("snapshot", snapshot.Name);
        Assert.Single(JsonNode.Parse(snapshot.Data)!.AsArray(), m => m!["served"]!.GetValue<bool>());

        host.AddModel("second-chat-q8_0.gguf");

        var next = (await events.NextAsync(cancel.Token))!.Value;
        while (!(next.Name == "catalog" && JsonNode.Parse(next.Data)!["models"]!.GetValue<int>() == 2))
        {
            next = (await events.NextAsync(cancel.Token))!.Value;
        }
        Assert.True(long.Parse(next.Id!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(snapshot.Id!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, (await host.ModelIdsAsync()).Count);
    }

    [Fact]
    public async Task A_reloaded_config_is_a_config_event_naming_the_added_and_removed_models()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
            """);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var response = await host.Client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        var events = new SseReader(new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token)));
        Assert.Equal("snapshot", (await events.NextAsync(cancel.Token))!.Value.Name);

        await File.WriteAllTextAsync(host.ConfigPath, $"""
            models:
              model-b:
                cmd: {GatewayTestHost.FakeCmd("b")}
            """, cancel.Token);
        using (var reload = await host.Client.PostAsync("/api/config/reload", null, cancel.Token))
        {
            Assert.True(reload.IsSuccessStatusCode, await reload.Content.ReadAsStringAsync(cancel.Token));
        }

        var next = (await events.NextAsync(cancel.Token))!.Value;
        while (next.Name != "config")
        {
            next = (await events.NextAsync(cancel.Token))!.Value;
        }
        var change = JsonNode.Parse(next.Data)!;
        Assert.Equal(["model-b"], change["added"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["model-a"], change["removed"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["model-b"], (await host.Client.GetFromJsonAsync<JsonArray>("/api/models"))!.Select(m => m!["id"]!.GetValue<string>()));
    }
}
