using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.LlamaServer.Tests;

/// <summary>
/// One reranker, one ranking: llama-server behind ModelSwap (generated command, <c>--reranking</c>)
/// and the built-in engine (<c>--reranking</c>) score the same query/document pairs alike, both for a
/// reranker without a rerank template (the pair is BOS query [EOS] [SEP] document [EOS]) and for one
/// whose GGUF carries <c>tokenizer.chat_template.rerank</c>. The same token counts show the pairs
/// were built the same way; the scores agree to 1e-4.
/// </summary>
public sealed class RerankParityTests : IAsyncLifetime
{
    private const string Plain = "plain-reranker.gguf";
    private const string Templated = "templated-reranker.gguf";

    /// <summary>Qwen3-Reranker's shape of template, in the tiny vocabulary's special tokens.</summary>
    private const string RerankTemplate =
        "<|im_start|>system\nJudge whether the Document meets the requirements based on the Query.<|im_end|>\n" +
        "<|im_start|>user\n<Query>: {query}\n<Document>: {document}<|im_end|>\n<|im_start|>assistant\n";

    private static readonly string[] Documents = ["the cat is good", "the dog was there", "water", "a cat sat on the mat", ""];

    private ModelSwapServe _serve = null!;

    public async Task InitializeAsync() =>
        _serve = await ModelSwapServe.StartAsync(s =>
        {
            s.AddModel(Plain, new TinyModelOptions { Reranker = true, Seed = 21 });
            s.AddModel(Templated, new TinyModelOptions
            {
                Reranker = true,
                Seed = 22,
                ExtraMetadata = [new("tokenizer.chat_template.rerank", GgufValue.String(RerankTemplate))],
            });
        });

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    [Theory]
    [InlineData(Plain)]
    [InlineData(Templated)]
    public async Task Both_runtimes_rank_alike(string file)
    {
        var id = await _serve.IdOfAsync(file);
        var served = await _serve.PostAsync("/v1/rerank", new { model = id, query = "what is a cat", documents = Documents });
        var command = (await _serve.RunningAsync(id))!["cmd"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Contains("--reranking", command);

        await using var engine = await EngineProcess.StartAsync(Path.Combine(_serve.ModelsDir, file), "--reranking", "--ctx-size", "4096");
        var own = await PostAsync(engine, "/v1/rerank", new { model = id, query = "what is a cat", documents = Documents });

        Assert.Equal(served["model"]!.GetValue<string>(), own["model"]!.GetValue<string>());
        Assert.Equal(served["usage"]!["prompt_tokens"]!.GetValue<int>(), own["usage"]!["prompt_tokens"]!.GetValue<int>());
        var expected = Scores(served["results"]!.AsArray(), "relevance_score");
        var actual = Scores(own["results"]!.AsArray(), "relevance_score");
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.True(expected.Values.Distinct().Count() == Documents.Length, "llama-server gave documents equal scores: " + served["results"]!.ToJsonString());
        var worst = expected.Keys.Max(i => Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= 1e-4, $"{file}: llama-server and the engine differ by up to {worst:G3}: {served["results"]!.ToJsonString()} vs {own["results"]!.ToJsonString()}");
        Assert.Equal(Order(served["results"]!.AsArray()), Order(own["results"]!.AsArray()));

        // top_n and the TEI form (texts, return_text) answer alike too.
        var servedTop = await _serve.PostAsync("/v1/rerank", new { model = id, query = "cat", documents = Documents, top_n = 2 });
        var ownTop = await PostAsync(engine, "/rerank", new { model = id, query = "cat", documents = Documents, top_n = 2 });
        Assert.Equal(Order(servedTop["results"]!.AsArray()), Order(ownTop["results"]!.AsArray()));
        var servedTei = await _serve.PostArrayAsync("/v1/rerank", new { model = id, query = "cat", texts = Documents, return_text = true });
        var ownTei = (await PostNodeAsync(engine, "/v1/reranking", new { query = "cat", texts = Documents, return_text = true })).AsArray();
        Assert.Equal(Order(servedTei), Order(ownTei));
        Assert.Equal(servedTei.Select(r => r!["text"]!.GetValue<string>()), ownTei.Select(r => r!["text"]!.GetValue<string>()));
    }

    private static Dictionary<int, double> Scores(JsonArray results, string name) =>
        results.ToDictionary(r => r!["index"]!.GetValue<int>(), r => r![name]!.GetValue<double>());

    private static List<int> Order(JsonArray results) => [.. results.Select(r => r!["index"]!.GetValue<int>())];

    private static async Task<JsonObject> PostAsync(EngineProcess engine, string path, object body) =>
        (await PostNodeAsync(engine, path, body)).AsObject();

    private static async Task<JsonNode> PostNodeAsync(EngineProcess engine, string path, object body)
    {
        using var response = await engine.Client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"engine {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
