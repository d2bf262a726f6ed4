using System.Net;
using System.Text.Json;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Reranking;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Api;

public sealed class RerankTests(TinyModels models) : IClassFixture<TinyModels>, IAsyncLifetime
{
    private TestEngine _engine = null!;

    public async Task InitializeAsync() =>
        _engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Reranker, Reranking = true, ContextSize = 64, Alias = "ranker" });

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private static Dictionary<int, double> Scores(JsonElement results, string name = "relevance_score") =>
        results.EnumerateArray().ToDictionary(r => r.GetProperty("index").GetInt32(), r => r.GetProperty(name).GetDouble());

    [Fact]
    public async Task Results_are_sorted_best_first_with_usage_and_the_requested_model()
    {
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/rerank",
            """{"model":"rerank-v3.5","query":"what is a cat","documents":["the cat is good","the dog was there","water","a cat"]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("rerank-v3.5", body.GetProperty("model").GetString());
        Assert.Equal("list", body.GetProperty("object").GetString());
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], results.Select(r => r.GetProperty("index").GetInt32()).Order());
        var scores = results.Select(r => r.GetProperty("relevance_score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        // A Qwen3-style head is softmaxed by llama.cpp: the first label's probability.
        Assert.All(scores, s => Assert.InRange(s, 0, 1));
        Assert.True(scores.Distinct().Count() > 1, "every document got the same score: " + string.Join(", ", scores));
        var usage = body.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() >= 4 * 3, usage.ToString());
    }

    [Fact]
    public async Task A_pair_is_BOS_query_document_for_a_vocabulary_that_adds_only_BOS()
    {
        // "▁hello" is one token of the tiny vocabulary; it adds BOS, no EOS and no SEP.
        var (_, body) = await HttpJson.PostAsync(_engine.Http, "/v1/rerank", """{"query":"hello","documents":["hello","hello hello"]}""");
        Assert.Equal(3 + 4, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task A_score_does_not_depend_on_the_other_documents_and_every_route_agrees()
    {
        var (_, three) = await HttpJson.PostAsync(_engine.Http, "/v1/rerank", """{"query":"a question","documents":["one answer","another one","third"]}""");
        var (_, alone) = await HttpJson.PostAsync(_engine.Http, "/rerank", """{"query":"a question","documents":["another one"]}""");
        Assert.Equal(Scores(three.GetProperty("results"))[1], Scores(alone.GetProperty("results"))[0]);
        foreach (var path in new[] { "/v1/reranking", "/reranking" })
        {
            var (status, body) = await HttpJson.PostAsync(_engine.Http, path, """{"query":"a question","documents":["one answer","another one","third"]}""");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(Scores(three.GetProperty("results")), Scores(body.GetProperty("results")));
        }
    }

    [Fact]
    public async Task Top_n_keeps_the_best_and_the_TEI_form_answers_a_bare_array()
    {
        const string documents = """["one answer","another one","third","fourth thing"]""";
        var (_, all) = await HttpJson.PostAsync(_engine.Http, "/v1/rerank", $$"""{"query":"q","documents":{{documents}}}""");
        var best = all.GetProperty("results").EnumerateArray().Take(2).Select(r => r.GetProperty("index").GetInt32()).ToList();
        var (_, top) = await HttpJson.PostAsync(_engine.Http, "/v1/rerank", $$"""{"query":"q","documents":{{documents}},"top_n":2}""");
        Assert.Equal(best, top.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()));

        var (status, tei) = await HttpJson.PostAsync(_engine.Http, "/rerank", $$"""{"query":"q","texts":{{documents}},"return_text":true}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Array, tei.ValueKind);
        Assert.Equal(Scores(all.GetProperty("results")), Scores(tei, "score"));
        var texts = JsonSerializer.Deserialize<string[]>(documents)!;
        Assert.All(tei.EnumerateArray(), r => Assert.Equal(texts[r.GetProperty("index").GetInt32()], r.GetProperty("text").GetString()));
    }

    [Theory]
    [InlineData("""{"documents":["a"]}""", "'query' is required")]
    [InlineData("""{"query":3,"documents":["a"]}""", "'query' must be a string")]
    [InlineData("""{"query":"q"}""", "'documents' is required")]
    [InlineData("""{"query":"q","documents":[]}""", "'documents' must be a non-empty array")]
    [InlineData("""{"query":"q","documents":["a",{"text":"b"}]}""", "'documents[1]' must be a string")]
    [InlineData("""{"query":"q","documents":["a"],"top_n":-1}""", "'top_n' must be between 0")]
    public async Task Bad_requests_get_400_naming_the_field(string json, string expected)
    {
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/rerank", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, HttpJson.ErrorMessage(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pair_longer_than_the_context_is_refused_naming_the_document()
    {
        var longText = string.Join(' ', Enumerable.Repeat("hello", 80));
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/rerank", $$"""{"query":"q","documents":["short","{{longText}}"]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = HttpJson.ErrorMessage(body);
        Assert.Contains("'documents[1]'", message, StringComparison.Ordinal);
        Assert.Equal("context_length_exceeded", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Without_reranking_the_route_answers_501()
    {
        await using var chat = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, ContextSize = 64 });
        var (status, body) = await HttpJson.PostAsync(chat.Http, "/v1/rerank", """{"query":"q","documents":["a"]}""");
        Assert.Equal(HttpStatusCode.NotImplemented, status);
        Assert.Contains("--reranking", HttpJson.ErrorMessage(body, "not_supported_error"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bert", null, null, true)]
    [InlineData("gpt2", "roberta-bpe", null, true)]
    [InlineData("gpt2", "jina-v1-en", null, true)]
    [InlineData("gpt2", "qwen2", null, false)]
    [InlineData("llama", null, null, false)]
    [InlineData("bert", null, "false", false)]
    [InlineData("llama", null, "true", true)]
    public void Sep_follows_llama_cpps_vocabulary_rules(string tokenizer, string? pre, string? declared, bool adds)
    {
        var metadata = new Dictionary<string, string> { ["tokenizer.ggml.model"] = tokenizer };
        if (pre is not null)
            metadata["tokenizer.ggml.pre"] = pre;
        if (declared is not null)
            metadata["tokenizer.ggml.add_sep_token"] = declared;
        Assert.Equal(adds, RerankPrompt.AddsSep(metadata));
    }
}
