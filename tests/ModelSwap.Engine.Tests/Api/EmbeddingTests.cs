using System.Net;
using System.Text.Json;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Api;

public sealed class EmbeddingTests(TinyModels models) : IClassFixture<TinyModels>, IAsyncLifetime
{
    private TestEngine _engine = null!;

    public async Task InitializeAsync() =>
        _engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Embedding, Embeddings = true, ContextSize = 64, Alias = "embed" });

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private static float[] Floats(System.Text.Json.JsonElement item) =>
        item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();

    private static double Norm(float[] vector) => Math.Sqrt(vector.Sum(v => (double)v * v));

    [Fact]
    public async Task OneStringGivesOneUnitVector()
    {
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/embeddings", """{"model":"embed","input":"hello world"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal("embed", body.GetProperty("model").GetString());
        var item = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal("embedding", item.GetProperty("object").GetString());
        var vector = Floats(item);
        Assert.Equal(64, vector.Length);
        Assert.Equal(1.0, Norm(vector), 4);
        var usage = body.GetProperty("usage");
        Assert.InRange(usage.GetProperty("prompt_tokens").GetInt32(), 2, 6);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task ArrayInputKeepsOrderAndIsDeterministic()
    {
        var (_, body) = await HttpJson.PostAsync(_engine.Http, "/v1/embeddings", """{"input":["the cat","a dog runs","the cat"]}""");

        var items = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], items.Select(i => i.GetProperty("index").GetInt32()));
        var vectors = items.Select(Floats).ToList();
        Assert.All(vectors, v => Assert.Equal(1.0, Norm(v), 4));
        Assert.Equal(vectors[0], vectors[2]);
        Assert.NotEqual(vectors[0], vectors[1]);
    }

    [Fact]
    public async Task Base64EncodingCarriesTheSameFloats()
    {
        var (_, floats) = await HttpJson.PostAsync(_engine.Http, "/v1/embeddings", """{"input":"base sixty four"}""");
        var (_, encoded) = await HttpJson.PostAsync(_engine.Http, "/v1/embeddings", """{"input":"base sixty four","encoding_format":"base64"}""");

        var bytes = Convert.FromBase64String(encoded.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var decoded = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, decoded, 0, bytes.Length);
        Assert.Equal(Floats(floats.GetProperty("data")[0]), decoded);
    }

    [Fact]
    public async Task DimensionsShortensAndRenormalises_and_token_ids_are_accepted()
    {
        var (_, full) = await HttpJson.PostAsync(_engine.Http, "/v1/embeddings", """{"input":"shorter please"}""");
        var (status, shortened) = await HttpJson.PostAsync(_engine.Http, "/v1/embeddings", """{"input":"shorter please","dimensions":16}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var whole = Floats(full.GetProperty("data")[0]);
        var part = Floats(shortened.GetProperty("data")[0]);
        Assert.Equal(16, part.Length);
        var norm = Math.Sqrt(whole.Take(16).Sum(v => (double)v * v));
        for (var i = 0; i < 16; i++)
            Assert.Equal(whole[i] / norm, part[i], 4);

        var (idsStatus, byIds) = await HttpJson.PostAsync(_engine.Http, "/v1/embeddings", """{"input":[[300,301,302],[300,301,302]]}""");
        Assert.Equal(HttpStatusCode.OK, idsStatus);
        Assert.Equal(Floats(byIds.GetProperty("data")[0]), Floats(byIds.GetProperty("data")[1]));
        Assert.Equal(64, Floats(byIds.GetProperty("data")[0]).Length);
    }

    [Fact]
    public async Task TokenIdsAreEmbeddedAsSent_not_respelt_through_text()
    {
        var vocab = GgufReader.Read(models.Embedding).GetStringArray("tokenizer.ggml.tokens")!.ToList();
        int[] Ids(params string[] pieces) => pieces.Select(p => vocab.IndexOf(p)).ToArray();
        // The tokenizer's own split of "hello world", and the same text spelt a character at a time:
        // detokenised and re-tokenised, the second would become the first.
        var own = Ids("<s>", "\u2581hello", "\u2581world");
        var spelt = Ids("<s>", "\u2581", "h", "e", "l", "l", "o", "\u2581", "w", "o", "r", "l", "d");
        Assert.DoesNotContain(-1, own.Concat(spelt));

        var (status, json) = await HttpJson.PostAsync(_engine.Http, "/v1/embeddings", JsonSerializer.Serialize(new { input = new object[] { "hello world", own, spelt } }));
        Assert.Equal(HttpStatusCode.OK, status);
        var data = json.GetProperty("data");
        var text = Floats(data[0]);
        Assert.True(Cosine(text, Floats(data[1])) > 0.9999, "the tokenizer's own ids embed as the text does");
        Assert.True(Cosine(text, Floats(data[2])) < 0.999, "ids spelling the same text differently embed differently");
        Assert.Equal(3 + 3 + 13, json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    private static double Cosine(float[] a, float[] b) =>
        a.Zip(b, (x, y) => (double)x * y).Sum() / (Norm(a) * Norm(b));

    [Theory]
    [InlineData("{\"input\":[[1,2],[3,999999]]}", "'input[1][1]' must be a token id between 0 and")]
    [InlineData("{\"input\":[[1,2],[]]}", "'input[1]' must not be empty")]
    [InlineData("{}", "'input' is required")]
    [InlineData("{\"input\":\"\"}", "'input' must not be empty")]
    [InlineData("{\"input\":[]}", "'input' must not be an empty array")]
    [InlineData("{\"input\":[1,999999]}", "'input[1]' must be a token id between 0 and")]
    [InlineData("{\"input\":\"x\",\"encoding_format\":\"hex\"}", "'encoding_format' must be 'float' or 'base64'")]
    [InlineData("{\"input\":\"x\",\"dimensions\":128}", "have only 64 dimensions")]
    public async Task BadEmbeddingRequestsGet400(string body, string expected)
    {
        var (status, json) = await HttpJson.PostAsync(_engine.Http, "/v1/embeddings", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, HttpJson.ErrorMessage(json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InputLongerThanTheContextNamesBothNumbers()
    {
        var words = string.Join(' ', Enumerable.Repeat("the cat and the dog", 40));
        var (status, json) = await HttpJson.PostAsync(_engine.Http, "/v1/embeddings", $$"""{"input":["short","{{words}}"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = HttpJson.ErrorMessage(json);
        Assert.Matches(@"maximum context length is \d+ tokens, but 'input\[1\]' has \d+ tokens", message);

        var ids = string.Join(',', Enumerable.Repeat(300, 400));
        var (idsStatus, idsJson) = await HttpJson.PostAsync(_engine.Http, "/v1/embeddings", $$"""{"input":[[300],[{{ids}}]]}""");
        Assert.Equal(HttpStatusCode.BadRequest, idsStatus);
        Assert.Matches(@"maximum context length is \d+ tokens, but 'input\[1\]' has 400 tokens", HttpJson.ErrorMessage(idsJson));
    }
}
