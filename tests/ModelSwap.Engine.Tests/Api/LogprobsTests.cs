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

    [Fact]
    public async Task Chat_n2_gives_each_choice_its_own_logprobs_equal_to_its_seed_run_alone()
    {
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions",
            """{"messages":[{"role":"user","content":"hi"}],"max_tokens":5,"n":2,"logprobs":true,"top_logprobs":2,"temperature":1,"seed":42}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var choices = body.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal(2, choices.Count);
        var completionTokens = 0;
        foreach (var choice in choices)
        {
            var content = choice.GetProperty("logprobs").GetProperty("content").EnumerateArray().ToList();
            Assert.NotEmpty(content);
            Assert.Equal(choice.GetProperty("message").GetProperty("content").GetString(), string.Concat(content.Select(c => c.GetProperty("token").GetString())));
            Assert.All(content, c => Assert.Equal(2, c.GetProperty("top_logprobs").GetArrayLength()));
            completionTokens += content.Count;
        }
        // Every completion token of every choice has exactly one entry.
        Assert.Equal(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), completionTokens);

        // Choice j runs with seed + j: alone with that seed it must give the same tokens and logprobs.
        var (aloneStatus, alone) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions",
            """{"messages":[{"role":"user","content":"hi"}],"max_tokens":5,"logprobs":true,"top_logprobs":2,"temperature":1,"seed":43}""");
        Assert.Equal(HttpStatusCode.OK, aloneStatus);
        var expected = alone.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content").EnumerateArray().ToList();
        var actual = choices[1].GetProperty("logprobs").GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(expected.Select(e => e.GetProperty("token").GetString()), actual.Select(e => e.GetProperty("token").GetString()));
        for (var i = 0; i < expected.Count; i++)
            Assert.Equal(expected[i].GetProperty("logprob").GetDouble(), actual[i].GetProperty("logprob").GetDouble(), 3);
    }

    [Fact]
    public async Task Streamed_chat_n2_carries_each_index_logprobs_in_its_own_chunks()
    {
        var stream = await SseStream.ReadAsync(_engine.Http, "/v1/chat/completions",
            """{"messages":[{"role":"user","content":"hi"}],"max_tokens":4,"n":2,"logprobs":true,"top_logprobs":1,"stream":true,"temperature":0}""");
        var choices = stream.Events.SelectMany(e => e.GetProperty("choices").EnumerateArray()).ToList();
        foreach (var index in new[] { 0, 1 })
        {
            var mine = choices.Where(c => c.GetProperty("index").GetInt32() == index).ToList();
            var text = string.Concat(mine.Select(c => c.GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : ""));
            var entries = mine.Where(c => c.GetProperty("logprobs").ValueKind == JsonValueKind.Object)
                .SelectMany(c => c.GetProperty("logprobs").GetProperty("content").EnumerateArray()).ToList();
            Assert.Equal(4, entries.Count);
            Assert.Equal(text, string.Concat(entries.Select(e => e.GetProperty("token").GetString())));
            Assert.All(entries, e => Assert.Equal(1, e.GetProperty("top_logprobs").GetArrayLength()));
        }
    }

    [Fact]
    public async Task Legacy_completions_with_a_prompt_array_give_each_choice_its_logprobs()
    {
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/completions", """{"prompt":["the cat","a dog"],"max_tokens":3,"logprobs":2,"temperature":0}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var choices = body.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal(2, choices.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(i, choices[i].GetProperty("index").GetInt32());
            var logprobs = choices[i].GetProperty("logprobs");
            Assert.Equal(3, logprobs.GetProperty("tokens").GetArrayLength());
            Assert.Equal(3, logprobs.GetProperty("token_logprobs").GetArrayLength());
            Assert.Equal(choices[i].GetProperty("text").GetString(), string.Concat(logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString())));
            Assert.All(logprobs.GetProperty("top_logprobs").EnumerateArray(), t => Assert.Equal(2, t.EnumerateObject().Count()));
            Assert.Equal(0, logprobs.GetProperty("text_offset")[0].GetInt32());
        }

        // Each prompt's choice equals that prompt sent alone (greedy).
        var (_, alone) = await HttpJson.PostAsync(_engine.Http, "/v1/completions", """{"prompt":"a dog","max_tokens":3,"logprobs":2,"temperature":0}""");
        Assert.Equal(alone.GetProperty("choices")[0].GetProperty("text").GetString(), choices[1].GetProperty("text").GetString());
    }
}
