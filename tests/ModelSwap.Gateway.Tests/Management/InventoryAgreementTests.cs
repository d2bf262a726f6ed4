using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Tests.Discovery;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Management;

/// <summary>
/// One inventory, every face: the same models folder seen through `models list --format json`,
/// GET /v1/models, GET /api/models, GET /api/models/{id} and Ollama's GET /api/tags gives the same
/// ids, aliases, files and sizes, with a symlinked folder, a split model, a projector and a name
/// collision in it.
/// </summary>
public sealed class InventoryAgreementTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_cli_the_openai_list_and_the_management_api_agree()
    {
        await using var host = await DiscoveryTestHost.StartAsync(folders =>
        {
            Small(folders.Models, "a/llama-3.2-1b-instruct-q4_k_m.gguf", chat: true);
            Small(folders.Models, "b/llama-3.2-1b-instruct-q8_0.gguf", chat: true);
            Small(folders.Models, "split/big-model-7b-q4_0-00001-of-00002.gguf");
            Small(folders.Models, "split/big-model-7b-q4_0-00002-of-00002.gguf");
            Small(folders.Models, "vision/gemma-3-4b-it-q4_k_m.gguf", chat: true);
            Small(folders.Models, "vision/mmproj-gemma-3-4b-it-f16.gguf", architecture: "clip");
            var outside = Path.Combine(Path.GetDirectoryName(folders.Models)!, "outside");
            Small(outside, "qwen2.5-0.5b-instruct-q8_0.gguf", chat: true);
            Directory.CreateSymbolicLink(Path.Combine(folders.Models, "linked"), outside);
        });

        var openAi = (await host.Client.GetFromJsonAsync<JsonObject>("/v1/models"))!["data"]!.AsArray();
        var api = (await host.Client.GetFromJsonAsync<JsonArray>("/api/models"))!;
        var tags = (await host.Client.GetFromJsonAsync<JsonObject>("/api/tags"))!["models"]!.AsArray();
        var (code, stdout, stderr) = await new CliRunner(host.Home).RunAsync("models", "list", "--models-dir", host.ModelsDir, "--format", "json",
            "--url", host.Client.BaseAddress!.ToString());
        Assert.True(code == 0, stderr);
        var cli = JsonNode.Parse(stdout)!.AsArray();

        var ids = api.Select(m => m!["id"]!.GetValue<string>()).ToArray();
        Assert.Equal(5, ids.Length);
        Assert.Equal(ids, openAi.Select(m => m!["id"]!.GetValue<string>()).ToArray());
        Assert.Equal(ids, cli.Select(m => m!["name"]!.GetValue<string>()).ToArray());
        // Ollama lists newest first; the set of names is what must agree.
        Assert.Equal(ids.Select(ModelSwap.Gateway.Translation.OllamaModelNames.Display).Order(StringComparer.Ordinal),
            tags.Select(m => m!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Contains("llama3.2:1b-instruct-q4_k_m", ids);
        Assert.Contains("llama3.2:1b-instruct-q8_0", ids);
        foreach (var model in api)
        {
            var id = model!["id"]!.GetValue<string>();
            var row = cli.Single(r => r!["name"]!.GetValue<string>() == id)!;
            var listed = openAi.Single(m => m!["id"]!.GetValue<string>() == id)!;
            var files = model["files"]!;
            Assert.Equal(Strings(model["config"]!["aliases"]), Strings(row["aliases"]));
            Assert.Equal(Strings(model["config"]!["aliases"]), Strings(listed["aliases"]));
            Assert.Equal(files["path"]!.GetValue<string>(), row["file"]!.GetValue<string>());
            Assert.Equal(Strings(files["parts"]), Strings(row["files"]));
            Assert.Equal(files["sizeBytes"]!.GetValue<long>(), row["sizeBytes"]!.GetValue<long>());
            Assert.Equal(files["sizeBytes"]!.GetValue<long>(),
                tags.Single(t => t!["name"]!.GetValue<string>() == ModelSwap.Gateway.Translation.OllamaModelNames.Display(id))!["size"]!.GetValue<long>());
            Assert.Equal(files["projector"]?.GetValue<string>(), row["projector"]?.GetValue<string>());
            Assert.False(row["loaded"]!.GetValue<bool>());
            var one = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/models/{id}"))!;
            Assert.True(JsonNode.DeepEquals(model, one), $"GET /api/models/{id} differs from its entry in GET /api/models");
        }
        var split = api.Single(m => m!["id"]!.GetValue<string>().StartsWith("big-model", StringComparison.Ordinal))!["files"]!;
        Assert.Equal(2, split["parts"]!.AsArray().Count);
        Assert.EndsWith("mmproj-gemma-3-4b-it-f16.gguf", api.Single(m => m!["id"]!.GetValue<string>().StartsWith("gemma3", StringComparison.Ordinal))!["files"]!["projector"]!.GetValue<string>());
        Assert.Contains("/linked/", api.Single(m => m!["id"]!.GetValue<string>().StartsWith("qwen2.5", StringComparison.Ordinal))!["files"]!["path"]!.GetValue<string>());
    }

    private static string[] Strings(JsonNode? array) => array is null ? [] : [.. array.AsArray().Select(a => a!.GetValue<string>())];

    private static void Small(string root, string relative, bool chat = false, string architecture = "llama")
    {
        var path = SmallGguf.Write(Path.Combine(root, relative), architecture, chatTemplate: chat ? "{{ messages }}" : null);
        SmallGguf.Age(path);
    }
}
