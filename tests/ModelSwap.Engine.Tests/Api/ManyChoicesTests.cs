using System.Net;
using System.Text.Json;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Api;

/// <summary>n &gt; 1 and prompt arrays: one choice per generation, numbered as OpenAI numbers them.</summary>
public sealed class ManyChoicesTests(TinyModels models) : IClassFixture<TinyModels>, IAsyncLifetime
{
    private TestEngine _engine = null!;

    public async Task InitializeAsync() => _engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, ContextSize = 256 });

    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Fact]
    public async Task Chat_n_gives_n_choices_whole_and_streamed()
    {
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions",
            """{"messages":[{"role":"user","content":"hi"}],"n":3,"max_tokens":4,"seed":1}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var choices = body.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.All(choices, c => Assert.Equal("length", c.GetProperty("finish_reason").GetString()));
        Assert.Equal(12, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        // Seeds 1, 2, 3: the choices are not all the same reply.
        Assert.True(choices.Select(c => c.GetProperty("message").GetProperty("content").GetString()).Distinct().Count() > 1);

        var stream = await SseStream.ReadAsync(_engine.Http, "/v1/chat/completions",
            """{"messages":[{"role":"user","content":"hi"}],"n":2,"max_tokens":3,"stream":true,"stream_options":{"include_usage":true}}""");
        Assert.True(stream.Done);
        var finished = stream.Events.SelectMany(e => e.GetProperty("choices").EnumerateArray())
            .Where(c => c.GetProperty("finish_reason").ValueKind == JsonValueKind.String)
            .Select(c => c.GetProperty("index").GetInt32()).Order().ToList();
        Assert.Equal([0, 1], finished);
        Assert.Equal(6, stream.Events[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task A_prompt_array_gives_a_choice_per_prompt_and_n()
    {
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/completions",
            """{"prompt":["the cat","the dog"],"n":2,"max_tokens":2,"seed":4}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([0, 1, 2, 3], body.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal(8, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }
}
