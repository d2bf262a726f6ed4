using System.Text.Json;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Tests.Tools;

/// <summary>
/// A call is only a call when its arguments are a JSON object: the Messages API writes them as a
/// tool_use block's `input` object, so anything else (a model's free text where JSON belongs) must
/// stay content rather than reach the client as a call it cannot read (or a 500).
/// </summary>
public sealed class ToolCallParserTests
{
    [Theory]
    [InlineData("DeepSeek", "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>lookup\n```json\nnot json\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>")]
    [InlineData("GptOss", "<|channel|>commentary to=functions.lookup <|constrain|>json<|message|>{not json}<|call|>")]
    [InlineData("Hermes", "<tool_call>\n{\"name\": \"lookup\", \"arguments\": \"not json\"}\n</tool_call>")]
    [InlineData("Hermes", "<tool_call>\n{\"name\": \"lookup\", \"arguments\": [1, 2]}\n</tool_call>")]
    [InlineData("Llama3", "{\"name\": \"lookup\", \"parameters\": 7}")]
    public void A_call_whose_arguments_are_not_an_object_is_not_a_call(string family, string reply)
    {
        var (_, calls) = ToolCallParser.Parse(reply, Enum.Parse<ToolCallFormat>(family));
        Assert.Empty(calls);
    }

    [Theory]
    [InlineData("DeepSeek", "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>lookup\n```json\n{\"q\": \"x\"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>")]
    [InlineData("GptOss", "<|channel|>commentary to=functions.lookup <|constrain|>json<|message|>{\"q\": \"x\"}<|call|>")]
    [InlineData("Hermes", "<tool_call>\n{\"name\": \"lookup\", \"arguments\": \"{\\\"q\\\": \\\"x\\\"}\"}\n</tool_call>")]
    public void Object_arguments_give_the_call(string family, string reply)
    {
        var (_, calls) = ToolCallParser.Parse(reply, Enum.Parse<ToolCallFormat>(family));
        var call = Assert.Single(calls);
        Assert.Equal("lookup", call.Name);
        using var arguments = JsonDocument.Parse(call.Arguments);
        Assert.Equal("x", arguments.RootElement.GetProperty("q").GetString());
    }
}
