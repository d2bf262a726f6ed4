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
        repo.AddFile("Small-Q4_K_M.gguf", MirrorFile.RandomGguf(2_000_000, 7));
        await using var host = await StartAsync(mirror);

        var search = (await host.Client.GetFromJsonAsync<JsonArray>("/api/hub/search?q=small"))!;
        Assert.Equal("org/Small-GGUF", search.Single()!["id"]!.GetValue<string>());
        var files = (await host.Client.GetFromJsonAsync<JsonObject>("/api/hub/models/org/Small-GGUF/files"))!;
        Assert.Contains("Small-Q4_K_M.gguf", files.ToJsonString());

        using var events = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = await host.Client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, events.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(events.Token));
        Assert.Equal(": connected", await reader.ReadLineAsync(events.Token));

        using var start = await host.Client.PostAsJsonAsync("/api/downloads", new { model = "org/Small-GGUF:Q4_K_M" });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var id = (await start.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        string? finalState = null;
        while (finalState is null && await reader.ReadLineAsync(events.Token) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }
            var evt = JsonNode.Parse(line["data: ".Length..])!;
            if (evt["type"]!.GetValue<string>() == "download" && evt["data"]!["state"]!.GetValue<string>() is "completed" or "failed")
            {
                finalState = evt["data"]!["state"]!.GetValue<string>();
            }
        }
        Assert.Equal("completed", finalState);
        var job = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/downloads/{id}"))!;
        Assert.Equal(2_000_000, job["bytes"]!.GetValue<long>());

        var local = (await host.Client.GetFromJsonAsync<JsonArray>("/api/models/local"))!;
        var model = local.Single()!;
        Assert.Equal("org/Small-GGUF@main", model["origin"]!.GetValue<string>());
        Assert.True(File.Exists(model["path"]!.GetValue<string>()));

        using var delete = await host.Client.DeleteAsync($"/api/models/local/{model["name"]!.GetValue<string>()}");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.False(File.Exists(model["path"]!.GetValue<string>()));
        Assert.Empty((await host.Client.GetFromJsonAsync<JsonArray>("/api/models/local"))!);
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
        using var gone = await host.Client.DeleteAsync("/api/models/local/not-there");
        await RoutingTests.AssertEnvelopeAsync(gone, HttpStatusCode.NotFound, "model_not_found");
    }
}
