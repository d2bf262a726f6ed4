using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelSwap.Gateway.Tests.Discovery;
using ModelSwap.Hub.HuggingFace;
using ModelSwap.Testing;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>
/// /api/hub and /api/downloads as thin adapters over the management layer's IModelHub, against the local
/// Hugging Face mirror: search, files, start, list, cancel keeping the .part, resume under the same id,
/// and every Hub failure as an envelope with the status and hint the dashboard shows too.
/// </summary>
public sealed class HubManagementApiTests
{
    private const string Repo = "org/Resume-GGUF";
    private const string File = "Resume-Q4_K_M.gguf";

    private static string Config => $"""
        models:
          model-a:
            cmd: {GatewayTestHost.FakeCmd("a")}
        """;

    // No retries: a refused or rate-limited answer is reported at once instead of after backing off.
    private static Task<GatewayTestHost> StartAsync(Uri hub) => GatewayTestHost.StartAsync(Config,
        configureServices: services => services.Replace(ServiceDescriptor.Singleton(new HubOptions(hub) { MaxRetryAttempts = 0 })));

    [Fact]
    public async Task A_download_cancelled_with_its_part_kept_resumes_under_the_same_id_from_where_it_stopped()
    {
        await using var mirror = await HuggingFaceMirror.StartAsync();
        var repo = mirror.AddRepo(Repo);
        repo.Likes = 7;
        repo.AddFile(File, MirrorFile.ValidGguf(2_000_000, 3));
        var hold = mirror.HoldAt(Repo, File, 1_000_000, untilReleased: true);
        await using var host = await StartAsync(mirror.Endpoint);

        var search = (await host.Client.GetFromJsonAsync<JsonArray>("/api/hub/search?q=resume&sort=likes&limit=5"))!;
        Assert.Equal(7, search.Single()!["likes"]!.GetValue<long>());
        var files = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/hub/models/{Repo}/files"))!;
        var variant = files["variants"]!.AsArray().Single()!;
        Assert.Equal("Q4_K_M", variant["quantization"]!.GetValue<string>());
        Assert.Equal(File, variant["primary"]!["fileName"]!.GetValue<string>());

        using var start = await host.Client.PostAsJsonAsync("/api/downloads", new { model = $"{Repo}:Q4_K_M" });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var id = (await start.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        Assert.Equal($"/api/downloads/{id}", start.Headers.Location?.OriginalString);
        await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60));
        // The mirror is paused; cancel once the client has written what was sent, so there is a .part to keep.
        var part = Path.Combine(host.ModelsDir, "org_Resume-GGUF", File + ".part");
        await DiscoveryTestHost.WaitUntilAsync(() => Task.FromResult(System.IO.File.Exists(part + ".json") && System.IO.File.Exists(part) && new FileInfo(part).Length > 0), "bytes being written");

        using var cancel = await host.Client.DeleteAsync($"/api/downloads/{id}?keepPartial=true");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        await DiscoveryTestHost.WaitUntilAsync(async () => await StateAsync(host, id) == "cancelled", "the download being cancelled");
        using var again = await host.Client.DeleteAsync($"/api/downloads/{id}");
        await RoutingTests.AssertEnvelopeAsync(again, HttpStatusCode.Conflict, "download_finished");

        hold.Release();
        mirror.ClearRequests();
        using var resume = await host.Client.PostAsync($"/api/downloads/{id}/resume", null);
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        Assert.Equal(id, (await resume.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        await DiscoveryTestHost.WaitUntilAsync(async () => await StateAsync(host, id) is "completed" or "failed", "the resumed download finishing");

        var job = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/downloads/{id}"))!;
        Assert.Equal("completed", job["state"]!.GetValue<string>());
        Assert.Equal(job["total"]!.GetValue<long>(), job["bytes"]!.GetValue<long>());
        // It continued from the kept .part: the file was asked for from a byte past the start.
        Assert.Contains(mirror.Requests, r => r.Path.EndsWith(File, StringComparison.Ordinal) && r.Range is { } range && !range.StartsWith("bytes=0-", StringComparison.Ordinal));
        Assert.Single((await host.Client.GetFromJsonAsync<JsonArray>("/api/downloads"))!, j => j!["id"]!.GetValue<string>() == id);

        using var resumeDone = await host.Client.PostAsync($"/api/downloads/{id}/resume", null);
        await RoutingTests.AssertEnvelopeAsync(resumeDone, HttpStatusCode.Conflict, "download_conflict");
    }

    [Fact]
    public async Task Hub_failures_are_envelopes_with_their_status_and_what_to_do()
    {
        await using var mirror = await HuggingFaceMirror.StartAsync();
        mirror.AddRepo("org/Open-GGUF").AddFile("Open-Q8_0.gguf", MirrorFile.ValidGguf(100_000, 1));
        var gated = mirror.AddRepo("org/Gated-GGUF");
        gated.Gated = "manual";
        gated.RequiredToken = "hf_secret";
        gated.AddFile("Gated-Q4_K_M.gguf", MirrorFile.ValidGguf(100_000, 2));
        await using var host = await StartAsync(mirror.Endpoint);

        using var unknownRepo = await host.Client.GetAsync("/api/hub/models/org/Nope-GGUF/files");
        await RoutingTests.AssertEnvelopeAsync(unknownRepo, HttpStatusCode.NotFound, "hub_not_found");
        using var pullUnknown = await host.Client.PostAsJsonAsync("/api/downloads", new { model = "org/Nope-GGUF:Q4_K_M" });
        await RoutingTests.AssertEnvelopeAsync(pullUnknown, HttpStatusCode.NotFound, "hub_not_found");
        using var unknownQuant = await host.Client.PostAsJsonAsync("/api/downloads", new { model = "org/Open-GGUF:Q2_K" });
        var quant = await RoutingTests.AssertEnvelopeAsync(unknownQuant, HttpStatusCode.NotFound, "hub_not_found");
        Assert.Contains("Q8_0", quant["message"]!.GetValue<string>(), StringComparison.Ordinal);

        using var gatedFiles = await host.Client.GetAsync("/api/hub/models/org/Gated-GGUF/files");
        var denied = await RoutingTests.AssertEnvelopeAsync(gatedFiles, HttpStatusCode.Forbidden, "hub_access_denied");
        Assert.Contains("HF_TOKEN", denied["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("hf_secret", denied.ToJsonString(), StringComparison.Ordinal);

        using var bad = await host.Client.PostAsJsonAsync("/api/downloads", new { model = "not a model" });
        await RoutingTests.AssertEnvelopeAsync(bad, HttpStatusCode.BadRequest, "invalid_model_reference");
        using var none = await host.Client.PostAsJsonAsync("/api/downloads", new { });
        await RoutingTests.AssertEnvelopeAsync(none, HttpStatusCode.BadRequest, "invalid_model_reference");
        using var sort = await host.Client.GetAsync("/api/hub/search?q=x&sort=random");
        await RoutingTests.AssertEnvelopeAsync(sort, HttpStatusCode.BadRequest, "invalid_sort");
        using var resumeUnknown = await host.Client.PostAsync("/api/downloads/nope/resume", null);
        await RoutingTests.AssertEnvelopeAsync(resumeUnknown, HttpStatusCode.NotFound, "download_not_found");
        using var getUnknown = await host.Client.GetAsync("/api/downloads/nope");
        await RoutingTests.AssertEnvelopeAsync(getUnknown, HttpStatusCode.NotFound, "download_not_found");

        mirror.FailNext(429, count: 1, pathContains: "/api/models");
        using var limited = await host.Client.GetAsync("/api/hub/search?q=open");
        await RoutingTests.AssertEnvelopeAsync(limited, (HttpStatusCode)429, "hub_rate_limited");
    }

    [Fact]
    public async Task An_unreachable_hub_names_HF_ENDPOINT()
    {
        await using var host = await StartAsync(new Uri($"http://127.0.0.1:{FreePort.Get()}/"));
        using var search = await host.Client.GetAsync("/api/hub/search?q=qwen");
        var error = await RoutingTests.AssertEnvelopeAsync(search, HttpStatusCode.BadGateway, "hub_unreachable");
        Assert.Contains("HF_ENDPOINT", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<string> StateAsync(GatewayTestHost host, string id) =>
        (await host.Client.GetFromJsonAsync<JsonObject>($"/api/downloads/{id}"))!["state"]!.GetValue<string>();
}
