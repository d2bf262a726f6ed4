using System.Net.Http.Headers;
using System.Text;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Api;

/// <summary>Mutated request bodies never get a 5xx from the engine, and it still answers afterwards.</summary>
public sealed class RequestFuzzTests(TinyModels models) : IClassFixture<TinyModels>
{
    [Theory]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"max_tokens":2,"temperature":0.5,"stop":["x"],"stream":false}""")]
    [InlineData("/v1/completions", """{"prompt":"hello there","max_tokens":2,"top_k":5,"seed":3,"stream":false}""")]
    [InlineData("/v1/embeddings", """{"input":["a","b"],"encoding_format":"float"}""")]
    public async Task Mutated_bodies_get_4xx_or_a_valid_answer_never_5xx(string path, string seedBody)
    {
        await using var engine = await TestEngine.StartAsync(new EngineOptions
        {
            ModelPath = path.Contains("embeddings") ? models.Embedding : models.Chat,
            Embeddings = path.Contains("embeddings"),
            ContextSize = 256,
        });
        var random = new Random(path.Length);
        var seed = Encoding.UTF8.GetBytes(seedBody);
        for (var i = 0; i < 300; i++)
        {
            var bytes = (byte[])seed.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(32, 127);
            }
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await engine.Http.PostAsync(path, content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{Encoding.UTF8.GetString(bytes)} -> {(int)response.StatusCode} {text}");
        }
        using var check = new StringContent(seedBody, Encoding.UTF8, "application/json");
        using var ok = await engine.Http.PostAsync(path, check);
        Assert.True(ok.IsSuccessStatusCode, await ok.Content.ReadAsStringAsync());
    }
}
