using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Testing;

namespace ModelSwap.LlamaServer.Tests;

/// <summary>
/// One model with a generated projector (mmproj) in its folder, one image request: llama-server behind
/// ModelSwap (the generated command pairs the projector with --mmproj) and the built-in engine (given
/// the same --mmproj) read the image into the same number of prompt tokens, so both join content parts
/// and place the image alike. (Random weights: the replies are nonsense; the counts are the check.)
/// </summary>
public sealed class VisionParityTests : IAsyncLifetime
{
    private const string Model = "seer.gguf";
    private const string Projector = "mmproj-seer.gguf";
    private ModelSwapServe _serve = null!;

    public async Task InitializeAsync() =>
        _serve = await ModelSwapServe.StartAsync(s =>
        {
            s.AddModel(Model, new TinyModelOptions { Seed = 31 });
            var projector = Path.Combine(s.ModelsDir, Projector);
            TinyProjectorBuilder.Write(projector);
            SmallGguf.Age(projector);
        });

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    [Fact]
    public async Task Both_runtimes_read_an_image_into_the_same_prompt_tokens()
    {
        var id = await _serve.IdOfAsync(Model);
        var image = TestImages.DataUrl(TestImages.Png(24, 24));
        object Request() => new
        {
            model = id,
            max_tokens = 2,
            messages = new object[]
            {
                new { role = "user", content = new object[]
                {
                    new { type = "text", text = "What is in it?" },
                    new { type = "image_url", image_url = new { url = image } },
                    new { type = "text", text = "Be brief." },
                } },
            },
        };
        var served = await _serve.PostAsync("/v1/chat/completions", Request());
        var command = (await _serve.RunningAsync(id))!["cmd"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.EndsWith(Projector, command[command.IndexOf("--mmproj") + 1], StringComparison.Ordinal);

        await using var engine = await EngineProcess.StartAsync(Path.Combine(_serve.ModelsDir, Model), "--mmproj", Path.Combine(_serve.ModelsDir, Projector), "--ctx-size", "512");
        using var response = await engine.Client.PostAsJsonAsync("/v1/chat/completions", Request());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var own = JsonNode.Parse(text)!;

        var servedTokens = served["usage"]!["prompt_tokens"]!.GetValue<int>();
        Assert.True(servedTokens > TinyProjectorBuilder.ImageTokens, served.ToJsonString());
        Assert.Equal(servedTokens, own["usage"]!["prompt_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task With_n_2_both_runtimes_give_two_choices_and_count_the_image_prompt_once()
    {
        var id = await _serve.IdOfAsync(Model);
        var image = TestImages.DataUrl(TestImages.Png(24, 24));
        object Request(int n) => new
        {
            model = id,
            max_tokens = 2,
            n,
            messages = new object[]
            {
                new { role = "user", content = new object[]
                {
                    new { type = "text", text = "What is in it?" },
                    new { type = "image_url", image_url = new { url = image } },
                } },
            },
        };
        var servedOne = await _serve.PostAsync("/v1/chat/completions", Request(1));
        var servedTwo = await _serve.PostAsync("/v1/chat/completions", Request(2));

        await using var engine = await EngineProcess.StartAsync(Path.Combine(_serve.ModelsDir, Model), "--mmproj", Path.Combine(_serve.ModelsDir, Projector), "--ctx-size", "512");
        using var response = await engine.Client.PostAsJsonAsync("/v1/chat/completions", Request(2));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var own = JsonNode.Parse(text)!;

        Assert.Equal(2, servedTwo["choices"]!.AsArray().Count);
        Assert.Equal(2, own["choices"]!.AsArray().Count);
        var promptTokens = servedOne["usage"]!["prompt_tokens"]!.GetValue<int>();
        Assert.Equal(promptTokens, servedTwo["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(promptTokens, own["usage"]!["prompt_tokens"]!.GetValue<int>());
    }
}
