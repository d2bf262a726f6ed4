using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Testing;

namespace ModelSwap.Cli.Tests;

/// <summary>
/// The one service-URL rule: with two services on two ports, the verbs talk to the one `start`
/// recorded; `--url` and `MODELSWAP_URL` override it.
/// </summary>
public sealed class ServiceUrlRuleTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("modelswap-url-rule-").FullName;

    private string Home => Path.Combine(_root, "home");
    private string ModelsDir => Path.Combine(_root, "models");

    [Fact]
    public async Task Ps_unload_models_list_and_rm_talk_to_the_started_service_unless_told_otherwise()
    {
        Directory.CreateDirectory(ModelsDir);
        var file = Path.Combine(ModelsDir, "tiny-chat-q8_0.gguf");
        ModelSwap.Core.Catalog.Gguf.TinyModelBuilder.Write(file);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-5));
        await using var other = await ServeProcess.StartAsync($"""
            models:
              other:
                cmd: {ServeProcess.FakeCmd("other")}
            """);
        var b = other.Client.BaseAddress!.ToString();
        var portA = FreePort.Get();
        using var a = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{portA}"), Timeout = TimeSpan.FromMinutes(2) };

        await using (await Cli(null).StartServiceAsync("--models-dir", ModelsDir, "--listen", $"127.0.0.1:{portA}"))
        {
            var id = (await a.GetFromJsonAsync<JsonObject>("/v1/models"))!["data"]![0]!["id"]!.GetValue<string>();
            using (var load = await a.PostAsync($"/api/models/{id}/load", null))
            {
                Assert.True(load.IsSuccessStatusCode, await load.Content.ReadAsStringAsync());
            }

            Assert.Equal([id], await PsAsync(null));
            Assert.Empty(await PsAsync(b));
            Assert.Empty(await PsAsync(null, "--url", b));

            Assert.True(await LoadedAsync(null, id));
            Assert.False(await LoadedAsync(b, id));
            Assert.False(await LoadedAsync(null, id, "--url", b));

            var (wrongService, _, wrongErr) = await RunAsync(null, "unload", "other");
            Assert.Equal(1, wrongErr.Contains("not configured", StringComparison.Ordinal) ? wrongService : -1);
            var (rightService, _, rightErr) = await RunAsync(b, "unload", "other");
            Assert.True(rightService == 0, rightErr);

            var (unloaded, _, unloadErr) = await RunAsync(null, "unload", id);
            Assert.True(unloaded == 0, unloadErr);
            Assert.Equal("stopped", (await a.GetFromJsonAsync<JsonObject>($"/api/models/{id}"))!["live"]!["state"]!.GetValue<string>());

            var (removed, removedOut, removeErr) = await RunAsync(null, "models", "rm", id);
            Assert.True(removed == 0, removeErr);
            Assert.Equal(file, removedOut.Trim());
            Assert.False(File.Exists(file));
            Assert.Empty((await a.GetFromJsonAsync<JsonObject>("/v1/models"))!["data"]!.AsArray());
        }
    }

    [Fact]
    public async Task A_bad_MODELSWAP_URL_is_an_error_and_an_unknown_loaded_column_says_so_once()
    {
        Directory.CreateDirectory(ModelsDir);
        ModelSwap.Testing.SmallGguf.Age(ModelSwap.Testing.SmallGguf.Write(Path.Combine(ModelsDir, "small-1b.gguf")));

        var (bad, _, badErr) = await RunAsync("ftp://nope", "ps");
        Assert.Equal(2, bad);
        Assert.Contains("MODELSWAP_URL='ftp://nope' is not an http(s) URL", badErr);

        var nobody = $"http://127.0.0.1:{FreePort.Get()}";
        var (listed, table, listErr) = await RunAsync(nobody, "models", "list", "--models-dir", ModelsDir);
        Assert.Equal(0, listed);
        var row = table.Split('\n').Single(l => l.StartsWith("small:1b", StringComparison.Ordinal));
        Assert.EndsWith("unknown", row.TrimEnd());
        Assert.Single(listErr.Split('\n'), l => l.Contains("LOADED is unknown", StringComparison.Ordinal));
        Assert.Contains($"{nobody} (from MODELSWAP_URL)", listErr);
    }

    private async Task<IReadOnlyList<string>> PsAsync(string? environmentUrl, params string[] extra)
    {
        var (code, stdout, stderr) = await RunAsync(environmentUrl, ["ps", "--format", "json", .. extra]);
        Assert.True(code == 0, stderr);
        return [.. JsonNode.Parse(stdout)!.AsArray().Select(r => r!["model"]!.GetValue<string>())];
    }

    private async Task<bool> LoadedAsync(string? environmentUrl, string id, params string[] extra)
    {
        var (code, stdout, stderr) = await RunAsync(environmentUrl, ["models", "list", "--models-dir", ModelsDir, "--format", "json", .. extra]);
        Assert.True(code == 0, stderr);
        return JsonNode.Parse(stdout)!.AsArray().Single(r => r!["name"]!.GetValue<string>() == id)!["loaded"]!.GetValue<bool>();
    }

    private Task<CliResult> RunAsync(string? environmentUrl, params string[] args) => Cli(environmentUrl).RunAsync(args);

    private CliRunner Cli(string? environmentUrl) =>
        new CliRunner(Home).With(("MODELSWAP_MODELS_DIR", ModelsDir), ("MODELSWAP_URL", environmentUrl));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
