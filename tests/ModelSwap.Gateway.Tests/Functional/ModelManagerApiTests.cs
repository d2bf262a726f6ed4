using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelSwap.Hub.HuggingFace;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>The model manager through the gateway's REST API, against a local Hugging Face mirror.</summary>
public sealed class ModelManagerApiTests
{
    private static string Config => $"""
        models:
          model-a:
            cmd: {GatewayTestHost.FakeCmd("a")}
        """;

    private static Task<GatewayTestHost> StartAsync(HuggingFaceMirror mirror) => GatewayTestHost.StartAsync(Config,
        configureServices: services => services.Replace(ServiceDescriptor.Singleton(new HubOptions(mirror.Endpoint))));

    [Fact]
    public async Task Search_pull_with_progress_events_list_and_delete()
    {
        await using var mirror = await HuggingFaceMirror.StartAsync();
        var repo = mirror.AddRepo("org/Small-GGUF");
        repo.Downloads = 1234;
        repo.AddFile("Small-Q4_K_M.gguf", MirrorFile.ValidGguf(500_000, 7));
        await using var host = await StartAsync(mirror);

        var search = (await host.Client.GetFromJsonAsync<JsonArray>("/api/hub/search?q=small"))!;
        Assert.Equal("org/Small-GGUF", search.Single()!["id"]!.GetValue<string>());
        var files = (await host.Client.GetFromJsonAsync<JsonObject>("/api/hub/models/org/Small-GGUF/files"))!;
        Assert.Contains("Small-Q4_K_M.gguf", files.ToJsonString());

        using var events = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = await host.Client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, events.Token);
        var reader = new Management.SseReader(new StreamReader(await stream.Content.ReadAsStreamAsync(events.Token)));
        Assert.Equal("snapshot", (await reader.NextAsync(events.Token))!.Value.Name);

        using var start = await host.Client.PostAsJsonAsync("/api/downloads", new { model = "org/Small-GGUF:Q4_K_M" });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var id = (await start.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        string? finalState = null;
        while (finalState is null && await reader.NextAsync(events.Token) is { } evt)
        {
            var state = evt.Name == "download" ? JsonNode.Parse(evt.Data)!["state"]!.GetValue<string>() : null;
            if (state is "completed" or "failed")
            {
                finalState = state;
            }
        }
        Assert.Equal("completed", finalState);
        var job = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/downloads/{id}"))!;
        Assert.Equal(job["total"]!.GetValue<long>(), job["bytes"]!.GetValue<long>());

        // Not in the user's config, so listed as a file that is not served, with its origin.
        var model = (await host.Client.GetFromJsonAsync<JsonArray>("/api/models"))!.Single(m => !m!["served"]!.GetValue<bool>())!;
        Assert.Equal("org/Small-GGUF@main", model["origin"]!["source"]!.GetValue<string>());
        Assert.Equal(64, model["origin"]!["files"]![0]!["sha256"]!.GetValue<string>().Length);
        var path = model["files"]!["path"]!.GetValue<string>();
        Assert.True(File.Exists(path));

        using var delete = await host.Client.DeleteAsync($"/api/models/{model["id"]!.GetValue<string>()}");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.False(File.Exists(path));
        Assert.DoesNotContain((await host.Client.GetFromJsonAsync<JsonArray>("/api/models"))!, m => !m!["served"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Bad_references_and_unknown_downloads_are_envelopes()
    {
        await using var mirror = await HuggingFaceMirror.StartAsync();
        await using var host = await StartAsync(mirror);
        using var bad = await host.Client.PostAsJsonAsync("/api/downloads", new { model = "../../etc/passwd" });
        await RoutingTests.AssertEnvelopeAsync(bad, HttpStatusCode.BadRequest, "invalid_model_reference");
        using var missing = await host.Client.DeleteAsync("/api/downloads/nope");
        await RoutingTests.AssertEnvelopeAsync(missing, HttpStatusCode.NotFound, "download_not_found");
        using var sort = await host.Client.GetAsync("/api/hub/search?q=x&sort=random");
        await RoutingTests.AssertEnvelopeAsync(sort, HttpStatusCode.BadRequest, "invalid_sort");
        using var gone = await host.Client.DeleteAsync("/api/models/not-there");
        await RoutingTests.AssertEnvelopeAsync(gone, HttpStatusCode.NotFound, "model_not_found");
    }
}
