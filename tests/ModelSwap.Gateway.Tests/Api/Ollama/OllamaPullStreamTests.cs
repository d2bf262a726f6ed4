using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Tests.Api.Ollama;

/// <summary>
/// /api/pull's own lines and errors on the wire, against the local Hugging Face mirror: what the
/// download path (IModelHub) refuses is answered with its status before any line, in Ollama's error shape.
/// </summary>
public sealed class OllamaPullStreamTests
{
    [Fact]
    public async Task A_bad_name_is_a_400_an_unknown_repo_a_404_and_a_pull_streams_its_file_with_its_digest()
    {
        await using var demo = await OllamaDemoHost.StartAsync();
        var client = demo.Host.Client;

        using var bad = await client.PostAsJsonAsync("/api/pull", new { model = "not a model" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.StartsWith("pull not a model: ", (await bad.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        using var unknown = await client.PostAsJsonAsync("/api/pull", new { model = "hf.co/org/No-Such-GGUF:Q8_0" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.StartsWith("pull hf.co/org/No-Such-GGUF:Q8_0: ", (await unknown.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        using var pull = await client.PostAsJsonAsync("/api/pull", new { model = OllamaDemoHost.PullName });
        Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        var lines = (await pull.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var statuses = lines.Select(l => l["status"]!.GetValue<string>()).ToList();
        Assert.Equal("pulling manifest", statuses[0]);
        Assert.Equal(["verifying sha256 digest", "writing manifest", "success"], statuses[^3..]);
        var file = lines.Where(l => l["digest"] is not null).ToList();
        Assert.NotEmpty(file);
        var digest = file[^1]["digest"]!.GetValue<string>();
        Assert.Matches("^sha256:[0-9a-f]{64}$", digest);
        Assert.All(file, l => Assert.Equal($"pulling {digest[7..19]}", l["status"]!.GetValue<string>()));
        Assert.Equal(file[^1]["total"]!.GetValue<long>(), file[^1]["completed"]!.GetValue<long>());
        Assert.True(file[^1]["total"]!.GetValue<long>() > 0);
    }
}
