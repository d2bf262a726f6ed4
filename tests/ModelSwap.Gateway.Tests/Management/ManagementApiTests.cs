using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Tests.Functional;

namespace ModelSwap.Gateway.Tests.Management;

/// <summary>The typed management API over a real gateway whose models are fake-upstream processes.</summary>
public sealed class ManagementApiTests
{
    private static string Config => $"""
        models:
          "org/model-a:Q4_K_M":
            cmd: {GatewayTestHost.FakeCmd("a")}
            aliases: [alias-a]
          model-b:
            cmd: {GatewayTestHost.FakeCmd("b")}
        """;

    [Fact]
    public async Task Ids_with_slashes_and_colons_load_unload_and_restart_by_raw_or_escaped_path()
    {
        await using var host = await GatewayTestHost.StartAsync(Config);

        var loaded = await PostAsync(host, "/api/models/org/model-a:Q4_K_M/load");
        Assert.Equal("org/model-a:Q4_K_M", loaded["id"]!.GetValue<string>());
        Assert.Equal("ready", loaded["live"]!["state"]!.GetValue<string>());
        Assert.True(loaded["live"]!["pid"]!.GetValue<int>() > 0);
        Assert.Equal(["org/model-a:Q4_K_M"], await host.RunningAsync());

        var byAlias = (await host.Client.GetFromJsonAsync<JsonObject>("/api/models/alias-a"))!;
        var escaped = (await host.Client.GetFromJsonAsync<JsonObject>("/api/models/org%2Fmodel-a:Q4_K_M"))!;
        Assert.Equal("org/model-a:Q4_K_M", byAlias["id"]!.GetValue<string>());
        Assert.Equal("org/model-a:Q4_K_M", escaped["id"]!.GetValue<string>());
        Assert.Equal("custom", escaped["config"]!["runtime"]!.GetValue<string>());

        var pid = loaded["live"]!["pid"]!.GetValue<int>();
        var restarted = await PostAsync(host, "/api/models/org%2Fmodel-a:Q4_K_M/restart");
        Assert.NotEqual(pid, restarted["live"]!["pid"]!.GetValue<int>());

        var unloaded = await PostAsync(host, "/api/models/alias-a/unload");
        Assert.Equal("stopped", unloaded["live"]!["state"]!.GetValue<string>());
        Assert.Empty(await host.RunningAsync());
    }

    [Fact]
    public async Task Failures_answer_with_the_envelope_and_the_right_status()
    {
        await using var host = await GatewayTestHost.StartAsync(Config);

        using var unknown = await host.Client.PostAsync("/api/models/nope/load", null);
        await RoutingTests.AssertEnvelopeAsync(unknown, HttpStatusCode.NotFound, "model_not_found");
        using var unknownGet = await host.Client.GetAsync("/api/models/org/nope:Q4");
        await RoutingTests.AssertEnvelopeAsync(unknownGet, HttpStatusCode.NotFound, "model_not_found");
        using var badAction = await host.Client.PostAsync("/api/models/org/model-a:Q4_K_M/explode", null);
        await RoutingTests.AssertEnvelopeAsync(badAction, HttpStatusCode.NotFound, "not_found");
        using var regenerate = await host.Client.PostAsync("/api/config/regenerate", null);
        await RoutingTests.AssertEnvelopeAsync(regenerate, HttpStatusCode.Conflict, "config_not_generated");
        using var noFiles = await host.Client.DeleteAsync("/api/models/model-b");
        await RoutingTests.AssertEnvelopeAsync(noFiles, HttpStatusCode.Conflict, "no_model_files");
        using var badLogs = await host.Client.GetAsync("/api/events?logs=everything");
        await RoutingTests.AssertEnvelopeAsync(badLogs, HttpStatusCode.BadRequest, "invalid_logs");
    }

    [Fact]
    public async Task Status_and_config_reload_describe_the_service()
    {
        await using var host = await GatewayTestHost.StartAsync(Config);

        var status = (await host.Client.GetFromJsonAsync<JsonObject>("/api/status"))!;
        Assert.Equal(host.Client.BaseAddress!.ToString().TrimEnd('/'), status["listenUrl"]!.GetValue<string>().TrimEnd('/'));
        Assert.Equal(host.ConfigPath, status["config"]!.GetValue<string>());
        Assert.False(status["configGenerated"]!.GetValue<bool>());
        Assert.Equal(2, status["models"]!.GetValue<int>());
        Assert.True(status["machine"]!["cores"]!.GetValue<int>() > 0);
        Assert.True(status["uptimeSeconds"]!.GetValue<double>() >= 0);
        Assert.True(DateTimeOffset.Parse(status["startedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) <= DateTimeOffset.UtcNow);
        Assert.True(status["machine"]!["memoryBytes"]!.GetValue<long>() > 0);
        Assert.Equal(Environment.ProcessId, status["pid"]!.GetValue<int>());
        Assert.Empty(status["running"]!.AsArray());

        await File.AppendAllTextAsync(host.ConfigPath, $"""

              model-c:
                cmd: {GatewayTestHost.FakeCmd("c")}
            """);
        var reload = await PostAsync(host, "/api/config/reload");
        Assert.True(reload["applied"]!.GetValue<bool>());
        Assert.Equal(["model-c"], reload["added"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains("model-c", (await host.Client.GetStringAsync("/v1/models")));
    }

    [Fact]
    public async Task A_late_event_subscriber_first_gets_a_snapshot_equal_to_the_model_list()
    {
        await using var host = await GatewayTestHost.StartAsync(Config);
        await PostAsync(host, "/api/models/model-b/load");
        await host.ChatAsync("alias-a");
        // The lease of that chat is given back just after its response ends; wait for it so both reads see the same state.
        while ((await host.Client.GetFromJsonAsync<JsonArray>("/api/models"))!.Any(m => m!["live"]!["inFlight"]!.GetValue<int>() > 0))
        {
            await Task.Delay(20);
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await host.Client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = new SseReader(new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token)));
        var first = (await events.NextAsync(cancel.Token))!.Value;
        var list = (await host.Client.GetFromJsonAsync<JsonArray>("/api/models"))!;

        Assert.Equal("snapshot", first.Name);
        Assert.NotNull(first.Id);
        var snapshot = JsonNode.Parse(first.Data)!.AsArray();
        Assert.True(JsonNode.DeepEquals(WithoutMemory(list), WithoutMemory(snapshot)), $"snapshot {first.Data}\nlist {list.ToJsonString()}");
        // model-b (first by id) was loaded, then swapped out by the chat on alias-a (both are in the default group).
        Assert.Equal(["stopped", "ready"], snapshot.Where(m => m!["served"]!.GetValue<bool>()).Select(m => m!["live"]!["state"]!.GetValue<string>()));

        // Then events as things happen: an unload is a model event with the new state, and a later id.
        await PostAsync(host, "/api/models/alias-a/unload");
        var next = (await events.NextAsync(cancel.Token))!.Value;
        while (!(next.Name == "model" && JsonNode.Parse(next.Data)!["live"]!["state"]!.GetValue<string>() == "stopped"))
        {
            next = (await events.NextAsync(cancel.Token))!.Value;
        }
        Assert.Equal("org/model-a:Q4_K_M", JsonNode.Parse(next.Data)!["id"]!.GetValue<string>());
        Assert.True(long.Parse(next.Id!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(first.Id!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Log_lines_come_as_events_only_when_asked_for()
    {
        await using var host = await GatewayTestHost.StartAsync(Config);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await host.Client.GetAsync("/api/events?logs=proxy", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        var events = new SseReader(new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token)));
        Assert.Equal("snapshot", (await events.NextAsync(cancel.Token))!.Value.Name);

        await PostAsync(host, "/api/models/model-b/load");

        var next = (await events.NextAsync(cancel.Token))!.Value;
        while (next.Name != "log" || !next.Data.Contains("model-b", StringComparison.Ordinal))
        {
            next = (await events.NextAsync(cancel.Token))!.Value;
        }
        Assert.Equal("proxy", JsonNode.Parse(next.Data)!["stream"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_openapi_document_lists_every_api_route_with_its_schemas()
    {
        await using var host = await GatewayTestHost.StartAsync(Config);

        var document = (await host.Client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();

        string[] expected =
        [
            "get /api/status", "get /api/models", "get /api/models/{id}", "post /api/models/{id}/load", "post /api/models/{id}/unload",
            "post /api/models/{id}/restart", "delete /api/models/{id}", "post /api/config/reload", "post /api/config/regenerate",
            "get /api/events", "get /api/hub/search", "get /api/hub/models/{owner}/{name}/files", "post /api/downloads", "get /api/downloads",
            "get /api/downloads/{id}", "delete /api/downloads/{id}", "post /api/downloads/{id}/resume",
            "get /api/config/models/{id}/settings", "put /api/config/models/{id}/settings", "get /api/status/resources",
            "get /api/models/{id}/drafts",
        ];
        foreach (var route in expected)
        {
            var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{route} is missing from /openapi/v1.json");
            var ok = operation!["responses"]!.AsObject().First(r => r.Key.StartsWith('2')).Value!;
            Assert.True(ok["content"] is JsonObject content && content.Count > 0, $"{route} has no response schema");
        }
        Assert.NotNull(paths["/api/downloads"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]);
        Assert.NotNull(paths["/api/config/models/{id}/settings"]!["put"]!["requestBody"]!["content"]!["application/json"]!["schema"]);
        var schemas = document["components"]!["schemas"]!.AsObject();
        Assert.Contains("ModelInfo", schemas.Select(s => s.Key));
        Assert.Contains("ModelDraftsView", schemas.Select(s => s.Key));
        Assert.Contains("HubRepoFilesView", schemas.Select(s => s.Key));
        Assert.Contains("DownloadView", schemas.Select(s => s.Key));
        Assert.Contains("OpenAiErrorEnvelope", schemas.Select(s => s.Key));
    }

    private static async Task<JsonObject> PostAsync(GatewayTestHost host, string path)
    {
        using var response = await host.Client.PostAsync(path, null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static JsonArray WithoutMemory(JsonArray models)
    {
        var copy = models.DeepClone().AsArray();
        // The memory sampler measures running processes on its own clock, and what it learns (the
        // resident size, its peak, and the budget taken from that peak) may change between two reads.
        foreach (var model in copy)
        {
            var live = model!["live"]!.AsObject();
            foreach (var measured in new[] { "residentBytes", "peakBytes", "budgetedBytes", "budgetSource" })
            {
                live.Remove(measured);
            }
        }
        return copy;
    }
}
