using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Core.Catalog;
using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.LlamaServer.Tests;

/// <summary>
/// One model, one vector: llama-server behind ModelSwap (with the generated command) and the
/// built-in engine embed alike for every pooling a GGUF can declare, and both take inputs longer
/// than llama-server's default 512-token batch.
/// </summary>
public sealed class EmbeddingParityTests : IAsyncLifetime
{
    private static readonly (string File, PoolingType Pooling)[] Embedders =
    [
        ("mean-embed.gguf", PoolingType.Mean),
        ("cls-embed.gguf", PoolingType.Cls),
        ("last-embed.gguf", PoolingType.Last),
    ];

    private ModelSwapServe _serve = null!;

    public async Task InitializeAsync() =>
        _serve = await ModelSwapServe.StartAsync(s =>
        {
            foreach (var (file, pooling) in Embedders)
            {
                s.AddModel(file, new TinyModelOptions { Embedding = true, Pooling = pooling, Seed = 7 });
            }
        });

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    [Theory]
    [InlineData("mean-embed.gguf")]
    [InlineData("cls-embed.gguf")]
    [InlineData("last-embed.gguf")]
    public async Task Both_runtimes_give_the_same_vector(string file)
    {
        var id = await _serve.IdOfAsync(file);
        string[] inputs = ["hello world", "the cat was good", "What is the model"];
        var served = await _serve.PostAsync("/v1/embeddings", new { model = id, input = inputs });
        var command = (await _serve.RunningAsync(id))!["cmd"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.DoesNotContain("--pooling", command); // the GGUF declares its pooling: llama-server uses it

        await using var engine = await EngineProcess.StartAsync(Path.Combine(_serve.ModelsDir, file), "--embeddings", "--ctx-size", "4096");
        using var response = await engine.Client.PostAsJsonAsync("/v1/embeddings", new { input = inputs });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var own = JsonNode.Parse(text)!.AsObject();

        for (var i = 0; i < inputs.Length; i++)
        {
            var a = Vector(served, i);
            var b = Vector(own, i);
            Assert.Equal(a.Length, b.Length);
            var worst = a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
            Assert.True(worst <= 1e-4, $"{file} '{inputs[i]}': llama-server and the engine differ by up to {worst:G3}");
        }
    }

    [Fact]
    public async Task Token_ids_embed_as_llama_server_embeds_them()
    {
        var vocab = GgufReader.Read(Path.Combine(_serve.ModelsDir, "mean-embed.gguf")).GetStringArray("tokenizer.ggml.tokens")!.ToList();
        int[] Ids(params string[] pieces) => [.. pieces.Select(p => vocab.IndexOf(p))];
        // "hello world" spelt a character at a time: not the tokenizer's split, so only an engine that
        // embeds the ids as sent (not their text re-tokenised) matches llama-server.
        var spelt = Ids("<s>", "\u2581", "h", "e", "l", "l", "o", "\u2581", "w", "o", "r", "l", "d");
        var own = Ids("<s>", "\u2581hello", "\u2581world");
        Assert.DoesNotContain(-1, spelt.Concat(own));
        object[] inputs = [spelt, own];
        var id = await _serve.IdOfAsync("mean-embed.gguf");
        var served = await _serve.PostAsync("/v1/embeddings", new { model = id, input = inputs });

        await using var engine = await EngineProcess.StartAsync(Path.Combine(_serve.ModelsDir, "mean-embed.gguf"), "--embeddings", "--ctx-size", "4096");
        using var response = await engine.Client.PostAsJsonAsync("/v1/embeddings", new { input = inputs });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var engineJson = JsonNode.Parse(text)!.AsObject();
        for (var i = 0; i < inputs.Length; i++)
        {
            var worst = Vector(served, i).Zip(Vector(engineJson, i), (x, y) => Math.Abs(x - y)).Max();
            Assert.True(worst <= 1e-4, $"ids input {i}: llama-server and the engine differ by up to {worst:G3}");
        }
        var gap = Vector(served, 0).Zip(Vector(served, 1), (x, y) => Math.Abs(x - y)).Max();
        Assert.True(gap > 1e-3, "the two spellings should embed differently");
    }

    [Fact]
    public async Task Inputs_longer_than_512_tokens_embed_under_both_runtimes()
    {
        // "▁hello" is one token of the tiny vocabulary: 1,200 tokens of a 4,096-token context.
        var input = string.Join(' ', Enumerable.Repeat("hello", 1200));
        var id = await _serve.IdOfAsync("mean-embed.gguf");
        var served = await _serve.PostAsync("/v1/embeddings", new { model = id, input });
        Assert.InRange(served["usage"]!["prompt_tokens"]!.GetValue<int>(), 1200, 1202);
        Assert.Equal(64, Vector(served, 0).Length);

        await using var engine = await EngineProcess.StartAsync(Path.Combine(_serve.ModelsDir, "mean-embed.gguf"), "--embeddings", "--ctx-size", "4096");
        using var response = await engine.Client.PostAsJsonAsync("/v1/embeddings", new { input });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static double[] Vector(JsonObject response, int index) =>
        [.. response["data"]!.AsArray().First(d => d!["index"]!.GetValue<int>() == index)!["embedding"]!.AsArray().Select(v => v!.GetValue<double>())];
}
