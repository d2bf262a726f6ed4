using System.Net;
using System.Text.Json;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Api;

/// <summary>logprobs / top_logprobs on chat and legacy `logprobs: N` on completions.</summary>
public sealed class LogprobsTests(TinyModels models) : IClassFixture<TinyModels>, IAsyncLifetime
{
    private TestEngine _engine = null!;

    public async Task InitializeAsync() => _engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, ContextSize = 256 });

    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Fact]
    public async Task Chat_reports_each_tokens_logprob_and_its_top_alternatives()
    {
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions",
            """{"messages":[{"role":"user","content":"hi"}],"max_tokens":5,"logprobs":true,"top_logprobs":3,"temperature":0}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var choice = body.GetProperty("choices")[0];
        var content = choice.GetProperty("logprobs").GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(5, content.Count);
        Assert.Equal(choice.GetProperty("message").GetProperty("content").GetString(), string.Concat(content.Select(c => c.GetProperty("token").GetString())));
        foreach (var entry in content)
        {
            var logprob = entry.GetProperty("logprob").GetDouble();
            Assert.True(logprob <= 0);
            var top = entry.GetProperty("top_logprobs").EnumerateArray().Select(t => t.GetProperty("logprob").GetDouble()).ToList();
            Assert.Equal(3, top.Count);
            Assert.Equal(top.OrderDescending(), top);
            // Greedy: the chosen token is the most likely one.
            Assert.Equal(top[0], logprob, 4);
        }

        var stream = await SseStream.ReadAsync(_engine.Http, "/v1/chat/completions",
            """{"messages":[{"role":"user","content":"hi"}],"max_tokens":4,"logprobs":true,"stream":true,"temperature":0}""");
        var streamed = stream.Events.SelectMany(e => e.GetProperty("choices").EnumerateArray())
            .Where(c => c.GetProperty("logprobs").ValueKind == JsonValueKind.Object)
            .SelectMany(c => c.GetProperty("logprobs").GetProperty("content").EnumerateArray()).ToList();
        Assert.Equal(4, streamed.Count);
    }

    [Fact]
    public async Task Legacy_completions_logprobs_n_give_the_parallel_arrays()
    {
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/completions", """{"prompt":"the cat","max_tokens":4,"logprobs":2}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var logprobs = body.GetProperty("choices")[0].GetProperty("logprobs");
        Assert.Equal(4, logprobs.GetProperty("tokens").GetArrayLength());
        Assert.Equal(4, logprobs.GetProperty("token_logprobs").GetArrayLength());
        Assert.All(logprobs.GetProperty("top_logprobs").EnumerateArray(), t => Assert.Equal(2, t.EnumerateObject().Count()));
        Assert.Equal(0, logprobs.GetProperty("text_offset")[0].GetInt32());
    }
}
