using System.Net;
using System.Text;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Inference;

/// <summary>Continuous batching: up to --parallel generations share each decode step, the rest queue, and a client that leaves frees its slot.</summary>
public sealed class ConcurrencyTests(TinyModels models) : IClassFixture<TinyModels>
{
    private static string StreamRequest(int seed) =>
        $$$"""{"messages":[{"role":"user","content":"Story number {{{seed}}}"}],"max_tokens":48,"seed":{{{seed}}},"stream":true,"stream_options":{"include_usage":true}}""";

    [Theory]
    [InlineData(4, 4)]
    [InlineData(2, 4)]
    public async Task ConcurrentStreamsAllCompleteWithinTheParallelLimit(int parallel, int requests)
    {
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, Parallel = parallel, ContextSize = 256 });

        // Hold the loop so every request is queued before the first step; then all start together.
        engine.Loop.Pause();
        var streams = Enumerable.Range(1, requests)
            .Select(seed => SseStream.ReadAsync(engine.Http, "/v1/chat/completions", StreamRequest(seed)))
            .ToList();
        await TestEngine.WaitUntilAsync(() => engine.Loop.QueuedGenerations == requests, $"{requests} requests are queued");
        engine.Loop.Resume();
        var results = await Task.WhenAll(streams);

        Assert.All(results, stream =>
        {
            Assert.True(stream.Done);
            Assert.Equal("length", stream.FinishReason);
            Assert.Equal(48, stream.Events[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        });
        Assert.Equal(parallel, engine.Loop.PeakActiveGenerations);
        Assert.Equal(0, engine.Loop.ActiveGenerations);

        // Batched generation gives each request its own text: sequences don't bleed into each other.
        var (_, alone) = await HttpJson.PostAsync(engine.Http, "/v1/chat/completions", StreamRequest(1).Replace(""","stream":true""", "", StringComparison.Ordinal));
        Assert.Equal(alone.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), results[0].Text);
    }

    [Fact]
    public async Task ClientDisconnectStopsItsGeneration()
    {
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, Parallel = 1, ContextSize = 16384 });

        // No max_tokens: left alone this would generate ~16K tokens.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = new StringContent("""{"prompt":"Once upon a time","stream":true}""", Encoding.UTF8, "application/json"),
        };
        var response = await engine.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync());
        Assert.Equal(1, engine.Loop.ActiveGenerations);

        // The client goes away mid-stream.
        reader.Dispose();
        response.Dispose();

        await TestEngine.WaitUntilAsync(() => engine.Loop.ActiveGenerations == 0, "the generation stops");
        Assert.Equal(1, engine.Loop.CancelledGenerations);

        // The slot is free again: the next request is served.
        var (status, body) = await HttpJson.PostAsync(engine.Http, "/v1/completions", """{"prompt":"hi","max_tokens":3}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task QueuedRequestWhoseClientLeftIsNeverGenerated()
    {
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, Parallel = 1, ContextSize = 256 });

        engine.Loop.Pause();
        using var leaving = new CancellationTokenSource();
        var abandoned = SseStream.ReadAsync(engine.Http, "/v1/chat/completions", StreamRequest(1), leaving.Token);
        await TestEngine.WaitUntilAsync(() => engine.Loop.QueuedGenerations == 1, "the request is queued");
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        // Dropped from the queue at once, while the loop is still held.
        await TestEngine.WaitUntilAsync(() => engine.Loop.QueuedGenerations == 0, "the queued request is dropped");
        Assert.Equal(1, engine.Loop.CancelledGenerations);
        engine.Loop.Resume();

        var (status, _) = await HttpJson.PostAsync(engine.Http, "/v1/completions", """{"prompt":"hi","max_tokens":2}""");
        Assert.Equal(HttpStatusCode.OK, status);
        // Only the later request ever took the slot.
        Assert.Equal(1, engine.Loop.PeakActiveGenerations);
        Assert.Equal(1, engine.Loop.CancelledGenerations);
    }
}
