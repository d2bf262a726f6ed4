using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Gateway.Tests.Discovery;
using ModelSwap.Gateway.Tests.Functional;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Management;

/// <summary>
/// GET /api/models/{id}/drafts against a real gateway generating its config from a models folder of
/// generated GGUFs: only the smaller chat model whose vocabulary is the target's, token for token, is
/// suggested; a draft saved through the settings path lands in models.yaml and is reported beside it.
/// </summary>
public sealed class ModelDraftsApiTests
{
    private const string Target = "tiny:1b-instruct";
    private const string SameVocabulary = "tiny:100m-instruct";
    private const string OtherVocabulary = "tiny:200m-instruct";

    [Fact]
    public async Task Only_the_smaller_model_with_the_same_vocabulary_is_suggested()
    {
        await using var host = await DiscoveryTestHost.StartAsync(f =>
        {
            var target = Write(f, "tiny-1b-instruct.gguf", "1B");
            Write(f, "tiny-100m-instruct.gguf", "100M");
            // Same size and tokenizer kind, but two tokens swapped: llama-server would refuse it as a draft.
            var tokens = GgufReader.Read(target).GetStringArray("tokenizer.ggml.tokens")!.ToArray();
            (tokens[300], tokens[301]) = (tokens[301], tokens[300]);
            Write(f, "tiny-200m-instruct.gguf", "200M", new KeyValuePair<string, GgufValue>("tokenizer.ggml.tokens", GgufValue.StringArray(tokens)));
            f.Tiny("tiny-embed-50m.gguf", embedding: true);
        });
        var ids = await host.ModelIdsAsync();
        Assert.Contains(Target, ids);
        Assert.Contains(OtherVocabulary, ids);
        // The draft is chosen through the settings path, which refuses a name that is no model file.
        using var refused = await host.Client.PutAsJsonAsync($"/api/config/models/{Target}/settings", new { draft = "nope" });
        var error = await RoutingTests.AssertEnvelopeAsync(refused, HttpStatusCode.BadRequest, "invalid_settings");
        Assert.Contains("draft 'nope' is no model in the models folders", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        using var put = await host.Client.PutAsJsonAsync($"/api/config/models/{Target}/settings", new { draft = SameVocabulary });
        Assert.True(put.IsSuccessStatusCode, $"PUT: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        Assert.Contains($"draft: \"{SameVocabulary}\"", await File.ReadAllTextAsync(host.Catalog.Options.Catalog.OverridesPath), StringComparison.Ordinal);

        var drafts = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/models/{Target}/drafts"))!;
        Assert.Equal(Target, drafts["model"]!.GetValue<string>());
        Assert.Equal([SameVocabulary], drafts["drafts"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(SameVocabulary, drafts["current"]?.GetValue<string>());

        // The smallest model has nothing smaller to draft for it; an unknown one is a 404.
        var none = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/models/{SameVocabulary}/drafts"))!;
        Assert.Empty(none["drafts"]!.AsArray());
        Assert.Null(none["current"]);
        using var unknown = await host.Client.GetAsync("/api/models/nope/drafts");
        await RoutingTests.AssertEnvelopeAsync(unknown, HttpStatusCode.NotFound, "model_not_found");
    }

    private static string Write(DiscoveryTestHost.Folders folders, string file, string sizeLabel, params KeyValuePair<string, GgufValue>[] extra)
    {
        var path = Path.Combine(folders.Models, file);
        TinyModelBuilder.Write(path, new TinyModelOptions { ExtraMetadata = [new("general.size_label", GgufValue.String(sizeLabel)), .. extra] });
        SmallGguf.Age(path);
        return path;
    }
}
