using System.Text;
using Microsoft.Extensions.Time.Testing;
using ModelSwap.Gateway.Activity;

namespace ModelSwap.Gateway.Tests.Activity;

public sealed class ResponseObserverTests
{
    private const string Stream = """
        data: {"choices":[{"index":0,"delta":{"role":"assistant"}}]}

        data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}

        data: {"choices":[{"index":0,"delta":{"content":"lo"}}]}

        data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

        data: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":2,"total_tokens":9},"timings":{"prompt_n":7,"prompt_ms":12.5,"predicted_n":2,"predicted_ms":40,"predicted_per_second":50.0}}

        data: [DONE]


        """;

    private static ResponseObserver Observe(string contentType, string body, int chunkSize)
    {
        var observer = new ResponseObserver(new FakeTimeProvider());
        observer.Start(contentType);
        var bytes = Encoding.UTF8.GetBytes(body);
        for (var i = 0; i < bytes.Length; i += chunkSize)
        {
            observer.Observe(bytes.AsSpan(i, Math.Min(chunkSize, bytes.Length - i)));
        }
        observer.Complete();
        return observer;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)]
    public void An_sse_stream_yields_its_text_usage_and_timings_however_it_is_split(int chunkSize)
    {
        var observer = Observe("text/event-stream", Stream, chunkSize);
        var facts = observer.Facts;
        Assert.True(observer.Streamed);
        Assert.Equal("Hello", facts.Text);
        Assert.Equal(2, facts.Pieces);
        Assert.Equal(7, facts.PromptTokenCount);
        Assert.Equal(2, facts.GeneratedTokens);
        Assert.Equal(12.5, facts.PromptMs);
        Assert.Equal(50.0, facts.PredictedPerSecond);
        Assert.NotNull(facts.FirstPieceAt);
    }

    [Fact]
    public void Crlf_lines_and_a_last_line_without_newline_are_read()
    {
        var body = "data: {\"choices\":[{\"text\":\"a\"}]}\r\n\r\ndata: {\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}";
        var facts = Observe("text/event-stream", body, 5).Facts;
        Assert.Equal("a", facts.Text);
        Assert.Equal(3, facts.PromptTokens);
        Assert.Equal(4, facts.GeneratedTokens);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(100_000)]
    public void A_json_body_yields_its_message_and_usage_however_it_is_split(int chunkSize)
    {
        const string body = """
            {"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"The answer: \"42\" \u00e9"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":11,"completion_tokens":5,"total_tokens":16},"timings":{"prompt_ms":3.5,"predicted_n":5,"predicted_ms":100}}
            """;
        var observer = Observe("application/json; charset=utf-8", body, chunkSize);
        Assert.False(observer.Streamed);
        Assert.Equal("The answer: \"42\" é", observer.Facts.Text);
        Assert.Equal(11, observer.Facts.PromptTokens);
        Assert.Equal(5, observer.Facts.GeneratedTokens);
        Assert.Equal(3.5, observer.Facts.PromptMs);
    }

    [Theory]
    [InlineData("application/json", """{"object":"response","output":[],"usage":{"input_tokens":6,"output_tokens":8,"total_tokens":14}}""")]
    [InlineData("text/event-stream", "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":6,\"output_tokens\":8}}}\n\n")]
    [InlineData("text/event-stream", "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":6,\"output_tokens\":1}}}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":8}}\n\n")]
    public void Responses_and_messages_usage_is_read_as_prompt_and_generated_tokens(string contentType, string body)
    {
        var facts = Observe(contentType, body, 7).Facts;
        Assert.Equal(6, facts.PromptTokens);
        Assert.Equal(8, facts.GeneratedTokens);
    }

    [Fact]
    public void Usage_nested_deeper_than_the_top_level_is_not_taken_for_the_answers()
    {
        var facts = Observe("application/json", """{"data":[{"usage":{"prompt_tokens":99}}],"usage":{"prompt_tokens":1}}""", 4).Facts;
        Assert.Equal(1, facts.PromptTokens);
    }

    [Theory]
    [InlineData("text/event-stream", "data: {not json\n\ndata: ]]]\n\nrandom words\n\ndata: {\"usage\":{\"completion_tokens\":5}}\n\n")]
    [InlineData("application/json", "{\"usage\":{\"prompt_tokens\":2}, garbage ]]] {")]
    [InlineData("text/plain", "\u0000\u0001\u0002 binary garbage")]
    [InlineData(null, "<html>not an answer</html>")]
    public void Garbage_never_throws_and_what_was_readable_is_kept(string? contentType, string body)
    {
        var observer = Observe(contentType!, body, 3);
        Assert.Equal(Encoding.UTF8.GetByteCount(body), observer.Bytes);
        if (contentType == "text/event-stream")
        {
            Assert.Equal(5, observer.Facts.GeneratedTokens); // the good line after the bad ones
        }
        if (contentType == "application/json")
        {
            Assert.Equal(2, observer.Facts.PromptTokens); // read before the JSON broke
        }
    }

    [Fact]
    public void A_huge_sse_line_is_skipped_with_bounded_memory_and_the_stream_goes_on()
    {
        var observer = new ResponseObserver(new FakeTimeProvider());
        observer.Start("text/event-stream");
        var huge = new byte[64 * 1024];
        huge.AsSpan().Fill((byte)'x');
        observer.Observe("data: {\"choices\":[{\"delta\":{\"content\":\""u8);
        var largest = 0;
        for (var i = 0; i < 64; i++) // 4 MiB on one line
        {
            observer.Observe(huge);
            largest = Math.Max(largest, observer.HeldLineBytes);
        }
        observer.Observe("\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"after\"}}],\"usage\":{\"completion_tokens\":9}}\n\n"u8);
        Assert.True(largest <= ResponseObserver.MaxLineBytes, $"held {largest} bytes for one line");
        Assert.Equal(1, observer.SkippedLines);
        Assert.Equal("after", observer.Facts.Text);
        Assert.Equal(9, observer.Facts.GeneratedTokens);
    }

    [Fact]
    public void A_huge_json_string_stops_the_walk_without_holding_the_body()
    {
        var observer = new ResponseObserver(new FakeTimeProvider());
        observer.Start("application/json");
        observer.Observe("{\"choices\":[{\"message\":{\"content\":\""u8);
        var huge = new byte[64 * 1024];
        huge.AsSpan().Fill((byte)'y');
        for (var i = 0; i < 32; i++)
        {
            observer.Observe(huge); // 2 MiB string: more than the walker holds
        }
        observer.Observe("\"}}]}"u8);
        Assert.True(observer.Bytes > 2L * 1024 * 1024);
        Assert.Null(observer.Facts.GeneratedTokens);
        Assert.Equal(ResponseObserver.HeadBytes, Encoding.UTF8.GetByteCount(observer.Head));
    }

    [Fact]
    public void Generated_text_is_capped_and_flagged()
    {
        var piece = new string('z', 1000);
        var body = string.Concat(Enumerable.Range(0, 20).Select(_ => $"data: {{\"choices\":[{{\"delta\":{{\"content\":\"{piece}\"}}}}]}}\n\n"));
        var facts = Observe("text/event-stream", body, 4096).Facts;
        Assert.Equal(GenerationFacts.ExcerptCharacters, facts.Text.Length);
        Assert.True(facts.TextTruncated);
        Assert.Equal(20, facts.Pieces);
    }
}
