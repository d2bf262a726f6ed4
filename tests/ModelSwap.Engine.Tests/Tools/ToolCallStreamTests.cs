using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Tests.Tools;

/// <summary>
/// The streaming split of content and tool calls, fed one character at a time (the worst case for
/// markers cut across pieces): content goes out before the reply ends, calls come out whole.
/// </summary>
public sealed class ToolCallStreamTests
{
    private static (List<string> Content, List<ParsedToolCall> Calls, int ContentBeforeEnd) Feed(ToolCallFormat format, string reply, bool parallel = true)
    {
        var split = new ToolCallStream(format, parallel);
        var content = new List<string>();
        var calls = new List<ParsedToolCall>();
        foreach (var c in reply)
            Collect(split.Push(c.ToString()));
        var beforeEnd = content.Count;
        Collect(split.Finish());
        return (content, calls, beforeEnd);

        void Collect(List<ToolStreamEvent> events)
        {
            foreach (var e in events)
            {
                if (e.Call is { } call)
                    calls.Add(call);
                else
                    content.Add(e.Content!);
            }
        }
    }

    [Theory]
    [InlineData("Hermes")]
    [InlineData("Phi4")]
    [InlineData("Mistral")]
    [InlineData("DeepSeek")]
    [InlineData("Llama3")]
    public void Plain_text_streams_piece_by_piece(string family)
    {
        var (content, calls, beforeEnd) = Feed(Enum.Parse<ToolCallFormat>(family), "Hello there, no tools < [ needed.");
        Assert.Empty(calls);
        Assert.Equal("Hello there, no tools < [ needed.", string.Concat(content));
        Assert.True(beforeEnd > 10, $"only {beforeEnd} pieces went out before the end");
    }

    [Fact]
    public void Hermes_streams_content_then_each_call_when_it_closes()
    {
        var (content, calls, beforeEnd) = Feed(ToolCallFormat.Hermes,
            "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>");
        Assert.Equal("Let me check.", string.Concat(content));
        Assert.True(beforeEnd > 5);
        Assert.Equal(["get_weather", "get_time"], calls.Select(c => c.Name));
        Assert.Equal("{\"city\": \"Paris\"}", calls[0].Arguments);
        Assert.StartsWith("call_", calls[0].Id);
    }

    [Fact]
    public void Without_parallel_calls_only_the_first_call_is_kept()
    {
        var (_, calls, _) = Feed(ToolCallFormat.Hermes,
            "<tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call><tool_call>{\"name\": \"b\", \"arguments\": {}}</tool_call>", parallel: false);
        Assert.Equal("a", Assert.Single(calls).Name);
    }

    [Fact]
    public void Mistral_holds_from_the_marker_to_the_end()
    {
        var (content, calls, _) = Feed(ToolCallFormat.Mistral, "Sure. [TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}]");
        Assert.Equal("Sure.", string.Concat(content)); // whitespace before a call is not content
        Assert.Equal("get_weather", Assert.Single(calls).Name);
    }

    [Fact]
    public void Llama3_bare_json_reply_is_a_call_and_text_is_content()
    {
        var (content, calls, _) = Feed(ToolCallFormat.Llama3, "  {\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}");
        Assert.Empty(content);
        Assert.Equal("{\"city\": \"Paris\"}", Assert.Single(calls).Arguments);
    }

    [Fact]
    public void An_unreadable_call_comes_out_as_content()
    {
        var (content, calls, _) = Feed(ToolCallFormat.Hermes, "<tool_call>not json</tool_call> after");
        Assert.Empty(calls);
        Assert.Equal("<tool_call>not json</tool_call> after", string.Concat(content));
    }

    [Theory]
    [InlineData("abc<tool", "<tool_call>", 5)]
    [InlineData("abc<", "<tool_call>", 1)]
    [InlineData("abc", "<tool_call>", 0)]
    [InlineData("<tool_call", "<tool_call>", 10)]
    public void Partial_marker_at_the_end_is_held(string text, string marker, int expected) =>
        Assert.Equal(expected, ToolCallStream.PartialMarkerLength(text, marker));
}
