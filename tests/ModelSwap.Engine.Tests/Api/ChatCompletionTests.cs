using System.Net;
using System.Text.Json;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Api;

/// <summary>Chat and text completions over HTTP against a generated tiny model.</summary>
public sealed class ChatCompletionTests(TinyModels models) : IClassFixture<TinyModels>, IAsyncLifetime
{
    private TestEngine _engine = null!;

    public async Task InitializeAsync() =>
        _engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, Alias = "tiny", ContextSize = 512 });

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private static string Chat(string extra = "", string content = "Tell me about cats.") =>
        $$"""{"model":"tiny","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":{{JsonSerializer.Serialize(content)}}}]{{extra}}}""";

    [Fact]
    public async Task ChatCompletionAnswersWithUsageAndTimings()
    {
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions", Chat(""","max_tokens":16,"seed":1"""));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("chatcmpl-", body.GetProperty("id").GetString());
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.Equal("tiny", body.GetProperty("model").GetString());
        var choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.False(string.IsNullOrWhiteSpace(choice.GetProperty("message").GetProperty("content").GetString()));

        var usage = body.GetProperty("usage");
        var prompt = usage.GetProperty("prompt_tokens").GetInt32();
        Assert.True(prompt > 10, $"the templated prompt has system and user turns, got {prompt} tokens");
        Assert.Equal(16, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(prompt + 16, usage.GetProperty("total_tokens").GetInt32());

        var timings = body.GetProperty("timings");
        Assert.Equal(prompt, timings.GetProperty("prompt_n").GetInt32());
        Assert.Equal(16, timings.GetProperty("predicted_n").GetInt32());
        Assert.True(timings.GetProperty("predicted_per_second").GetDouble() > 0);
    }

    [Fact]
    public async Task MaxTokensEndsWithFinishReasonLength()
    {
        // max_completion_tokens is the newer name; it wins over max_tokens.
        var (_, body) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions", Chat(""","max_tokens":50,"max_completion_tokens":5"""));

        Assert.Equal("length", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(5, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task SameSeedAndPromptGiveTheSameText()
    {
        async Task<string> Generate(int seed)
        {
            var (_, body) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions", Chat($$""","max_tokens":24,"temperature":1.0,"seed":{{seed}}"""));
            return body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        }

        var first = await Generate(1234);
        Assert.Equal(first, await Generate(1234));
        Assert.NotEqual(first, await Generate(99));
    }

    [Fact]
    public async Task StreamingSendsChunksUsageAndDone()
    {
        var stream = await SseStream.ReadAsync(_engine.Http, "/v1/chat/completions",
            Chat(""","max_tokens":10,"seed":3,"stream":true,"stream_options":{"include_usage":true}"""));

        Assert.True(stream.Done);
        Assert.All(stream.Events, e => Assert.Equal("chat.completion.chunk", e.GetProperty("object").GetString()));
        Assert.Single(stream.Events.Select(e => e.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", stream.Events[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.True(stream.Pieces.Count >= 5, $"expected one chunk per token, got {stream.Pieces.Count}");
        Assert.Equal("length", stream.FinishReason);

        // The usage chunk comes last, with no choices.
        var usageChunk = stream.Events[^1];
        Assert.Empty(usageChunk.GetProperty("choices").EnumerateArray());
        Assert.Equal(10, usageChunk.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        // Streaming and non-streaming produce the same text for the same seed.
        var (_, whole) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions", Chat(""","max_tokens":10,"seed":3"""));
        Assert.Equal(whole.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), stream.Text);
    }

    [Fact]
    public async Task StreamWithoutIncludeUsageHasNoUsageChunk()
    {
        var stream = await SseStream.ReadAsync(_engine.Http, "/v1/chat/completions", Chat(""","max_tokens":4,"stream":true"""));

        Assert.True(stream.Done);
        Assert.All(stream.Events, e => Assert.False(e.TryGetProperty("usage", out _)));
        Assert.Equal("length", stream.FinishReason);
    }

    [Fact]
    public async Task StopSequencesCutTheTextAlsoAcrossTokenBoundaries()
    {
        // Greedy decoding makes the reply fixed; learn it token by token first.
        const string greedy = ""","temperature":0,"max_tokens":40""";
        var reference = await SseStream.ReadAsync(_engine.Http, "/v1/chat/completions", Chat(greedy + ""","stream":true"""));
        var pieces = reference.Pieces;
        var full = reference.Text;
        Assert.True(pieces.Count > 10);

        // A stop sequence made of the end of one token and the start of the next.
        var k = pieces.Count / 2;
        var stop = pieces[k][^1..] + pieces[k + 1][..1];
        var expected = full[..full.IndexOf(stop, StringComparison.Ordinal)];
        var stops = $$""","stop":[{{JsonSerializer.Serialize(stop)}},"never-generated-§§"]""";

        var (_, body) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions", Chat(greedy + stops));
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(expected, choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.True(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32() < 40);

        var streamed = await SseStream.ReadAsync(_engine.Http, "/v1/chat/completions", Chat(greedy + stops + ""","stream":true"""));
        Assert.Equal(expected, streamed.Text);
        Assert.Equal("stop", streamed.FinishReason);
        Assert.True(streamed.Done);

        // A single string works as well as an array.
        var (_, single) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions", Chat(greedy + $$""","stop":{{JsonSerializer.Serialize(stop)}}"""));
        Assert.Equal(expected, single.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task TextCompletionAnswersAndStreams()
    {
        const string request = """{"model":"tiny","prompt":"Once upon a time","max_tokens":8,"seed":7""";
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/completions", request + "}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", body.GetProperty("id").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(8, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        // "Once upon a time" plus BOS in a 512-piece vocabulary: a few tokens, and no chat template around them.
        Assert.InRange(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), 2, 17);

        var stream = await SseStream.ReadAsync(_engine.Http, "/v1/completions", request + ""","stream":true}""");
        Assert.True(stream.Done);
        Assert.Equal(choice.GetProperty("text").GetString(), stream.Text);
        Assert.Equal("length", stream.FinishReason);
    }

    [Fact]
    public async Task TokenIdPromptsAreAccepted()
    {
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/completions", """{"prompt":[1,300,301,302],"max_tokens":3}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task ModelsListsTheServedModel()
    {
        var (status, body) = await HttpJson.GetAsync(_engine.Http, "/v1/models");

        Assert.Equal(HttpStatusCode.OK, status);
        var model = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal("tiny", model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
        Assert.Equal(512, model.GetProperty("meta").GetProperty("n_ctx").GetInt32());
        Assert.Equal(64, model.GetProperty("meta").GetProperty("n_embd").GetInt32());
    }

    [Fact]
    public async Task MaxTokensZeroReturnsAtOnceWithNoText()
    {
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/completions", """{"prompt":"hello","max_tokens":0}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("", body.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.Equal("length", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }
}
