using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.LlamaServer.Tests;

/// <summary>
/// Fill-in-the-middle with the real llama-server: Ollama's <c>suffix</c> through the gateway, the
/// refusal for a model without FIM tokens, and the built-in engine's /infill laying out the same
/// prompt as llama-server's for the same request.
/// </summary>
public sealed class InfillParityTests : IAsyncLifetime
{
    private const string Coder = "coder-fim.gguf";
    private const string Plain = "plain-chat.gguf";

    private ModelSwapServe _serve = null!;

    public async Task InitializeAsync() =>
        _serve = await ModelSwapServe.StartAsync(s =>
        {
            s.AddModel(Coder, new TinyModelOptions { Seed = 41, FillInTheMiddle = FimTokenKeys.Current });
            s.AddModel(Plain, new TinyModelOptions { Seed = 42 });
        });

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    [Fact]
    public async Task Suffix_through_the_gateway_to_llama_server()
    {
        var coder = await _serve.IdOfAsync(Coder);

        var reply = await _serve.PostAsync("/api/generate", new
        {
            model = coder, prompt = "def add(a, b):\n    ", suffix = "\nprint(add(1, 2))", stream = false,
            options = new { num_predict = 6, seed = 3 },
        });

        Assert.False(string.IsNullOrEmpty(reply["response"]!.GetValue<string>()), reply.ToJsonString());
        Assert.Equal("length", reply["done_reason"]!.GetValue<string>());
        Assert.Equal(6, reply["eval_count"]!.GetValue<long>());

        using var streamed = await _serve.Client.PostAsJsonAsync("/api/generate", new
        {
            model = coder, prompt = "x = ", suffix = "\n", options = new { num_predict = 4 },
        });
        var lines = (await streamed.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.True(lines[^1]["done"]!.GetValue<bool>(), string.Join('\n', lines));
        Assert.Equal(4, lines[^1]["eval_count"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_model_without_fim_tokens_is_refused_in_ollamas_words()
    {
        var plain = await _serve.IdOfAsync(Plain);

        using var response = await _serve.Client.PostAsJsonAsync("/api/generate", new { model = plain, prompt = "a", suffix = "b", stream = false });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("does not support insert", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_engine_lays_out_the_same_prompt_as_llama_server()
    {
        var coder = await _serve.IdOfAsync(Coder);
        var request = new
        {
            input_prefix = "def add(a, b):\n    ",
            input_suffix = "\nprint(add(1, 2))",
            input_extra = new[] { new { filename = "util.py", text = "cat = dog" } },
            prompt = "return",
            n_predict = 4,
        };

        var served = await _serve.PostAsync($"/upstream/{coder}/infill", request);

        await using var engine = await EngineProcess.StartAsync(Path.Combine(_serve.ModelsDir, Coder), "--ctx-size", "4096");
        using var response = await engine.Client.PostAsJsonAsync("/infill", request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var own = JsonNode.Parse(text)!.AsObject();

        Assert.Equal(served["tokens_evaluated"]!.GetValue<int>(), own["tokens_evaluated"]!.GetValue<int>());
        if (served["prompt"] is JsonValue prompt && prompt.TryGetValue<string>(out var servedPrompt))
        {
            Assert.Equal(servedPrompt, own["prompt"]!.GetValue<string>());
        }
        Assert.Equal(served["tokens_predicted"]!.GetValue<int>(), own["tokens_predicted"]!.GetValue<int>());
        Assert.Equal(served["stop_type"]!.GetValue<string>(), own["stop_type"]!.GetValue<string>());
    }
}
