using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Gateway.Tests.Discovery;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Api.Ollama;

/// <summary>
/// Ollama's fill-in-the-middle (<c>suffix</c> on /api/generate) and /api/show's parameters, through
/// the gateway to the real built-in engine: a model whose GGUF declares FIM tokens, and one without.
/// </summary>
public sealed class OllamaInsertTests : IAsyncLifetime
{
    private DiscoveryTestHost _host = null!;
    private string _coder = null!;
    private string _plain = null!;

    public async Task InitializeAsync()
    {
        _host = await DiscoveryTestHost.StartAsync(folders =>
        {
            Write(folders.Models, "coder-fim.gguf", new TinyModelOptions
            {
                Seed = 31,
                FillInTheMiddle = FimTokenKeys.Current,
                ExtraMetadata = [new("general.sampling.temp", GgufValue.Float32(0.25f))],
            });
            Write(folders.Models, "plain-chat.gguf", new TinyModelOptions { Seed = 32 });
        });
        var models = (await _host.Client.GetFromJsonAsync<JsonObject>("/v1/models"))!["data"]!.AsArray();
        string ByFile(string file) => models.First(m => m!["metadata"]!["file"]!.GetValue<string>().EndsWith(file, StringComparison.Ordinal))!["id"]!.GetValue<string>();
        _coder = ByFile("coder-fim.gguf");
        _plain = ByFile("plain-chat.gguf");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static void Write(string folder, string name, TinyModelOptions options)
    {
        var path = Path.Combine(folder, name);
        TinyModelBuilder.Write(path, options);
        SmallGguf.Age(path);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _host.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private string Generate(string model, bool stream) =>
        $$$"""{"model":"{{{model}}}","prompt":"def add(a, b):\n    ","suffix":"\nprint(add(1, 2))","stream":{{{(stream ? "true" : "false")}}},"options":{"num_predict":6,"seed":3}}""";

    [Fact]
    public async Task Suffix_fills_in_the_middle_whole_and_streamed()
    {
        using var whole = await PostAsync("/api/generate", Generate(_coder, stream: false));
        var text = await whole.Content.ReadAsStringAsync();
        Assert.True(whole.StatusCode == HttpStatusCode.OK, text);
        var reply = JsonNode.Parse(text)!.AsObject();
        Assert.False(string.IsNullOrEmpty(reply["response"]!.GetValue<string>()));
        Assert.True(reply["done"]!.GetValue<bool>());
        Assert.Equal("length", reply["done_reason"]!.GetValue<string>());
        Assert.Equal(6, reply["eval_count"]!.GetValue<long>());
        Assert.True(reply["prompt_eval_count"]!.GetValue<long>() > 10);

        using var streamed = await PostAsync("/api/generate", Generate(_coder, stream: true));
        var lines = (await streamed.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.True(lines.Count >= 3, string.Join('\n', lines));
        Assert.True(lines[^1]["done"]!.GetValue<bool>());
        Assert.Equal(6, lines[^1]["eval_count"]!.GetValue<long>());
        // Same seed, same prompt: the streamed pieces spell the whole answer.
        Assert.Equal(reply["response"]!.GetValue<string>(), string.Concat(lines.Select(l => l["response"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Suffix_on_a_model_without_fim_tokens_is_refused_before_it_loads()
    {
        using var response = await PostAsync("/api/generate", Generate(_plain, stream: false));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>();
        Assert.Contains("does not support insert", error, StringComparison.Ordinal);
        Assert.Empty(await _host.RunningAsync());
    }

    [Fact]
    public async Task Show_says_insert_only_for_the_fim_model_and_lists_stop_and_sampling()
    {
        var coder = await (await PostAsync("/api/show", $$"""{"model":"{{_coder}}"}""")).Content.ReadFromJsonAsync<JsonObject>();
        var plain = await (await PostAsync("/api/show", $$"""{"model":"{{_plain}}"}""")).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Contains("insert", coder!["capabilities"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.DoesNotContain("insert", plain!["capabilities"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Contains(".Suffix", coder["template"]!.GetValue<string>(), StringComparison.Ordinal);

        var parameters = coder["parameters"]!.GetValue<string>().Split('\n');
        Assert.Contains(parameters, p => p.StartsWith("num_ctx ", StringComparison.Ordinal));
        Assert.Contains("stop                           \"<|im_end|>\"", parameters);
        Assert.Contains("temperature                    0.25", parameters);
        Assert.Contains("PARAMETER stop \"<|im_end|>\"", coder["modelfile"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(plain["parameters"]!.GetValue<string>().Split('\n'), p => p.StartsWith("temperature", StringComparison.Ordinal));
    }
}
