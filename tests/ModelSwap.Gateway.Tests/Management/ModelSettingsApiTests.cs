using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Monitoring;
using ModelSwap.Gateway.Tests.Discovery;
using ModelSwap.Gateway.Tests.Functional;

namespace ModelSwap.Gateway.Tests.Management;

/// <summary>
/// GET/PUT /api/config/models/{id}/settings against a real gateway generating its config from a models
/// folder: saved in models.yaml with the user's comments kept, validated field by field, hot-reloaded;
/// 409 with a config file of the user's own. And GET /api/status/resources.
/// </summary>
public sealed class ModelSettingsApiTests
{
    [Fact]
    public async Task Saved_settings_land_in_models_yaml_and_hot_reload_into_the_command()
    {
        await using var host = await DiscoveryTestHost.StartAsync(f => f.Tiny("tiny-chat-Q8_0.gguf"));
        var id = Assert.Single(await host.ModelIdsAsync());
        var yamlPath = host.Catalog.Options.Catalog.OverridesPath;
        await File.WriteAllTextAsync(yamlPath, "# my own notes\nsettings:\n  ttl: 300   # five minutes\n");

        var before = await host.Client.GetFromJsonAsync<JsonObject>($"/api/config/models/{id}/settings");
        Assert.Equal(id, before!["model"]!.GetValue<string>());
        Assert.Null(before["settings"]!["contextSize"]);

        using var put = await host.Client.PutAsJsonAsync($"/api/config/models/{id}/settings",
            new { contextSize = 512, ttlSeconds = 60, aliases = new[] { "my-tiny" }, extraArgs = new[] { "--threads", "1" } });
        var text = await put.Content.ReadAsStringAsync();
        Assert.True(put.IsSuccessStatusCode, $"PUT: {(int)put.StatusCode} {text}");
        Assert.Equal(512, JsonNode.Parse(text)!["settings"]!["contextSize"]!.GetValue<int>());

        var yaml = await File.ReadAllTextAsync(yamlPath);
        Assert.Contains("# my own notes", yaml, StringComparison.Ordinal);
        Assert.Contains("ttl: 300   # five minutes", yaml, StringComparison.Ordinal);
        Assert.Contains("ctx-size: 512", yaml, StringComparison.Ordinal);

        // Hot-reloaded: the alias answers and the command carries the new context size.
        var model = await host.Client.GetFromJsonAsync<JsonObject>("/api/models/my-tiny");
        Assert.Equal(id, model!["id"]!.GetValue<string>());
        var command = model["config"]!["command"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal("512", command[command.IndexOf("--ctx-size") + 1]);
        Assert.Equal(60, model["config"]!["ttlSeconds"]!.GetValue<long>());
        Assert.Contains("1", command[(command.IndexOf("--threads") + 1)..]);
        (await host.ChatAsync("my-tiny")).ToString();
    }

    [Fact]
    public async Task Refused_values_are_named_by_field_and_the_file_is_left_alone()
    {
        await using var host = await DiscoveryTestHost.StartAsync(f =>
        {
            f.Tiny("tiny-chat-Q8_0.gguf");
            f.Tiny("other-Q8_0.gguf");
        });
        var ids = await host.ModelIdsAsync();
        Assert.Equal(2, ids.Count);
        var (id, other) = (ids[0], ids[1]);
        var yamlPath = host.Catalog.Options.Catalog.OverridesPath;
        await File.WriteAllTextAsync(yamlPath, "# keep\n");

        using var put = await host.Client.PutAsJsonAsync($"/api/config/models/{id}/settings",
            new { contextSize = 10, gpuLayers = -1, aliases = new[] { other } });
        var error = await RoutingTests.AssertEnvelopeAsync(put, HttpStatusCode.BadRequest, "invalid_settings");
        var message = error["message"]!.GetValue<string>();
        Assert.Contains("contextSize", message, StringComparison.Ordinal);
        Assert.Contains("gpuLayers", message, StringComparison.Ordinal);
        Assert.Contains($"already names model '{other}'", message, StringComparison.Ordinal);
        Assert.Equal("# keep\n", await File.ReadAllTextAsync(yamlPath));

        using var unknown = await host.Client.GetAsync("/api/config/models/nope/settings");
        await RoutingTests.AssertEnvelopeAsync(unknown, HttpStatusCode.NotFound, "model_not_found");
    }

    [Fact]
    public async Task A_config_file_of_the_users_own_answers_409_naming_the_file()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
            """);
        using var get = await host.Client.GetAsync("/api/config/models/model-a/settings");
        var error = await RoutingTests.AssertEnvelopeAsync(get, HttpStatusCode.Conflict, "config_not_generated");
        Assert.Contains(host.ConfigPath, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        using var put = await host.Client.PutAsJsonAsync("/api/config/models/model-a/settings", new { contextSize = 1024 });
        await RoutingTests.AssertEnvelopeAsync(put, HttpStatusCode.Conflict, "config_not_generated");
    }

    [Fact]
    public async Task Resources_show_the_gateway_and_each_running_model()
    {
        await using var host = await DiscoveryTestHost.StartAsync(f => f.Tiny("tiny-chat-Q8_0.gguf"));
        var id = Assert.Single(await host.ModelIdsAsync());
        await host.ChatAsync(id);
        // The model's memory is what the memory sampler published in the status: measure it first.
        await host.App.Services.GetRequiredService<MemorySampler>().SampleNowAsync();
        var sampler = host.App.Services.GetRequiredService<ResourceSampler>();
        sampler.SampleNow();
        sampler.SampleNow(); // the second has a CPU rate for the model first seen in the first

        var history = await host.Client.GetFromJsonAsync<JsonObject>("/api/status/resources");
        Assert.Equal(ResourceSampler.Interval.TotalSeconds, history!["intervalSeconds"]!.GetValue<double>());
        var samples = history["samples"]!.AsArray();
        Assert.True(samples.Count >= 2);
        var last = samples[^1]!;
        Assert.True(last["gateway"]!["residentBytes"]!.GetValue<long>() > 0);
        var model = Assert.Single(last["models"]!.AsArray(), m => m!["model"]!.GetValue<string>() == id)!;
        Assert.True(model["residentBytes"]!.GetValue<long>() > 0);
        Assert.True(model["cpuPercent"]!.GetValue<double>() >= 0);
    }
}
