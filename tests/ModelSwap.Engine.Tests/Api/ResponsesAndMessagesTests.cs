using System.Net;
using System.Text.Json;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Api;

/// <summary>The Responses API and Anthropic's Messages API over raw HTTP: shapes, events, tools, conversation state.</summary>
public sealed class ResponsesAndMessagesTests(TinyModels models) : IClassFixture<TinyModels>, IAsyncLifetime
{
    private const string Tool = """{"type":"function","name":"lookup","description":"Look up","parameters":{"type":"object","properties":{"q":{"type":"string","enum":["x","y"]}},"required":["q"]}}""";
    private TestEngine _engine = null!;

    public async Task InitializeAsync() => _engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, ContextSize = 1024 });

    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Fact]
    public async Task Responses_answers_and_continues_a_conversation_by_previous_response_id()
    {
        var (status, first) = await HttpJson.PostAsync(_engine.Http, "/v1/responses",
            """{"input":"Hello","instructions":"Be brief.","max_output_tokens":6,"seed":1}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("response", first.GetProperty("object").GetString());
        Assert.Equal("incomplete", first.GetProperty("status").GetString());
        var message = first.GetProperty("output")[0];
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(message.GetProperty("content")[0].GetProperty("text").GetString()));
        Assert.Equal(6, first.GetProperty("usage").GetProperty("output_tokens").GetInt32());

        var id = first.GetProperty("id").GetString();
        var (status2, second) = await HttpJson.PostAsync(_engine.Http, "/v1/responses",
            $$"""{"input":[{"role":"user","content":[{"type":"input_text","text":"And?"}]}],"previous_response_id":"{{id}}","max_output_tokens":4}""");
        Assert.Equal(HttpStatusCode.OK, status2);
        // The second prompt holds the first exchange too.
        Assert.True(second.GetProperty("usage").GetProperty("input_tokens").GetInt32() > first.GetProperty("usage").GetProperty("input_tokens").GetInt32());

        var (missing, error) = await HttpJson.PostAsync(_engine.Http, "/v1/responses", """{"input":"x","previous_response_id":"resp_nope"}""");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Contains("resp_nope", HttpJson.ErrorMessage(error));
    }

    [Fact]
    public async Task Responses_streams_typed_events_in_order()
    {
        var events = await NamedEvents("/v1/responses", """{"input":"Hello","max_output_tokens":5,"stream":true,"seed":2}""");
        var types = events.Select(e => e.Type).ToList();
        Assert.Equal("response.created", types[0]);
        Assert.Equal("response.incomplete", types[^1]);
        Assert.Contains("response.output_text.delta", types);
        Assert.True(types.IndexOf("response.output_item.added") < types.IndexOf("response.output_text.delta"));
        var deltas = string.Concat(events.Where(e => e.Type == "response.output_text.delta").Select(e => e.Data.GetProperty("delta").GetString()));
        Assert.Equal(deltas, events.Single(e => e.Type == "response.output_text.done").Data.GetProperty("text").GetString());
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
    }

    [Fact]
    public async Task Responses_tool_calls_and_json_schema_text_format()
    {
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/responses",
            $$"""{"input":"look up x","tools":[{{Tool}}],"tool_choice":"required","max_output_tokens":200,"seed":4}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var call = body.GetProperty("output").EnumerateArray().Single(o => o.GetProperty("type").GetString() == "function_call");
        Assert.Equal("lookup", call.GetProperty("name").GetString());
        Assert.StartsWith("call_", call.GetProperty("call_id").GetString());
        using (var args = JsonDocument.Parse(call.GetProperty("arguments").GetString()!))
            Assert.Contains(args.RootElement.GetProperty("q").GetString(), new[] { "x", "y" });

        // The function's output continues the stored conversation.
        var (status2, _) = await HttpJson.PostAsync(_engine.Http, "/v1/responses", $$"""
            {"previous_response_id":"{{body.GetProperty("id").GetString()}}","input":[{"type":"function_call_output","call_id":"{{call.GetProperty("call_id").GetString()}}","output":"42"}],"max_output_tokens":3}
            """);
        Assert.Equal(HttpStatusCode.OK, status2);

        var (status3, structured) = await HttpJson.PostAsync(_engine.Http, "/v1/responses", """
            {"input":"a flag","max_output_tokens":100,"seed":5,"text":{"format":{"type":"json_schema","name":"flag","strict":true,
             "schema":{"type":"object","properties":{"on":{"type":"boolean"}},"required":["on"],"additionalProperties":false}}}}
            """);
        Assert.Equal(HttpStatusCode.OK, status3);
        using var parsed = JsonDocument.Parse(structured.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!);
        Assert.True(parsed.RootElement.GetProperty("on").ValueKind is JsonValueKind.True or JsonValueKind.False);
    }

    [Fact]
    public async Task Messages_answers_streams_and_calls_tools_in_anthropics_shapes()
    {
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/messages",
            """{"model":"x","system":"Be brief.","messages":[{"role":"user","content":"Hello"}],"max_tokens":5}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("message", body.GetProperty("type").GetString());
        Assert.Equal("max_tokens", body.GetProperty("stop_reason").GetString());
        Assert.Equal("text", body.GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal(5, body.GetProperty("usage").GetProperty("output_tokens").GetInt32());

        var events = await NamedEvents("/v1/messages", """{"messages":[{"role":"user","content":"Hello"}],"max_tokens":4,"stream":true}""");
        Assert.Equal(["message_start", "content_block_start"], events.Take(2).Select(e => e.Type));
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], events.TakeLast(3).Select(e => e.Type));

        var (toolStatus, toolBody) = await HttpJson.PostAsync(_engine.Http, "/v1/messages", """
            {"messages":[{"role":"user","content":"look up"}],"max_tokens":200,"seed":6,
             "tools":[{"name":"lookup","description":"Look up","input_schema":{"type":"object","properties":{"q":{"type":"string","enum":["x","y"]}},"required":["q"]}}],
             "tool_choice":{"type":"any"}}
            """);
        Assert.Equal(HttpStatusCode.OK, toolStatus);
        Assert.Equal("tool_use", toolBody.GetProperty("stop_reason").GetString());
        var use = toolBody.GetProperty("content").EnumerateArray().First(c => c.GetProperty("type").GetString() == "tool_use");
        Assert.StartsWith("toolu_", use.GetProperty("id").GetString());
        Assert.Contains(use.GetProperty("input").GetProperty("q").GetString(), new[] { "x", "y" });

        var (resultStatus, _) = await HttpJson.PostAsync(_engine.Http, "/v1/messages", $$$"""
            {"messages":[{"role":"user","content":"look up"},{"role":"assistant","content":[{"type":"tool_use","id":"{{{use.GetProperty("id").GetString()}}}","name":"lookup","input":{"q":"x"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{{use.GetProperty("id").GetString()}}}","content":"found"}]}],"max_tokens":3}
            """);
        Assert.Equal(HttpStatusCode.OK, resultStatus);
    }

    private async Task<List<(string Type, JsonElement Data)>> NamedEvents(string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        using var response = await _engine.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new List<(string, JsonElement)>();
        string? name = null;
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
                Assert.Equal(name, data.GetProperty("type").GetString());
                events.Add((name!, data));
            }
        }
        return events;
    }
}
