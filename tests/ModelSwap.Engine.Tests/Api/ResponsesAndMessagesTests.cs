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
    public async Task Responses_instructions_reach_the_prompt()
    {
        var (_, plain) = await HttpJson.PostAsync(_engine.Http, "/v1/responses", """{"input":"Hello","max_output_tokens":2,"seed":1}""");
        var (_, instructed) = await HttpJson.PostAsync(_engine.Http, "/v1/responses",
            """{"input":"Hello","instructions":"Answer in French, briefly and politely.","max_output_tokens":2,"seed":1}""");
        static int InputTokens(JsonElement r) => r.GetProperty("usage").GetProperty("input_tokens").GetInt32();
        Assert.True(InputTokens(instructed) > InputTokens(plain) + 5, $"{InputTokens(instructed)} vs {InputTokens(plain)}");
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

    [Fact]
    public async Task Responses_streams_a_function_call_as_its_own_item_with_argument_events()
    {
        var events = await NamedEvents("/v1/responses",
            $$"""{"input":"look up x","tools":[{{Tool}}],"tool_choice":"required","max_output_tokens":200,"seed":4,"stream":true}""");
        var types = events.Select(e => e.Type).ToList();
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
        Assert.Equal("response.completed", types[^1]);

        var added = events.First(e => e.Type == "response.output_item.added" && e.Data.GetProperty("item").GetProperty("type").GetString() == "function_call").Data;
        var item = added.GetProperty("item");
        Assert.Equal("in_progress", item.GetProperty("status").GetString());
        Assert.Equal("lookup", item.GetProperty("name").GetString());
        Assert.Equal("", item.GetProperty("arguments").GetString());
        var itemId = item.GetProperty("id").GetString();
        var index = added.GetProperty("output_index").GetInt32();

        var deltas = string.Concat(events.Where(e => e.Type == "response.function_call_arguments.delta")
            .Select(e => e.Data).Where(d => d.GetProperty("item_id").GetString() == itemId).Select(d => d.GetProperty("delta").GetString()));
        var done = events.Single(e => e.Type == "response.function_call_arguments.done").Data;
        Assert.Equal(itemId, done.GetProperty("item_id").GetString());
        Assert.Equal(index, done.GetProperty("output_index").GetInt32());
        Assert.Equal("lookup", done.GetProperty("name").GetString());
        Assert.Equal(deltas, done.GetProperty("arguments").GetString());
        using (var args = JsonDocument.Parse(deltas))
            Assert.Contains(args.RootElement.GetProperty("q").GetString(), new[] { "x", "y" });
        Assert.True(types.IndexOf("response.function_call_arguments.done") < types.LastIndexOf("response.output_item.done"));

        // The final response lists the same call, complete, at the same index.
        var output = events[^1].Data.GetProperty("response").GetProperty("output");
        Assert.Equal(itemId, output[index].GetProperty("id").GetString());
        Assert.Equal(deltas, output[index].GetProperty("arguments").GetString());
        Assert.Equal(item.GetProperty("call_id").GetString(), output[index].GetProperty("call_id").GetString());
    }

    [Fact]
    public async Task Responses_with_tools_offered_streams_text_as_it_comes()
    {
        var events = await NamedEvents("/v1/responses",
            $$"""{"input":"Hello","tools":[{{Tool}}],"max_output_tokens":12,"seed":2,"stream":true}""");
        var output = events[^1].Data.GetProperty("response").GetProperty("output");
        // With this seed the random weights write text, not a call (the test above covers calls).
        Assert.DoesNotContain(output.EnumerateArray(), o => o.GetProperty("type").GetString() == "function_call");
        var deltas = events.Where(e => e.Type == "response.output_text.delta").Select(e => e.Data.GetProperty("delta").GetString()).ToList();
        Assert.True(deltas.Count > 1, $"expected the text in several deltas, got {deltas.Count}");
        Assert.Equal(string.Concat(deltas), output[0].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Messages_streams_a_tool_use_block_with_input_json_deltas()
    {
        var events = await NamedEvents("/v1/messages", """
            {"messages":[{"role":"user","content":"look up"}],"max_tokens":200,"seed":6,"stream":true,
             "tools":[{"name":"lookup","description":"Look up","input_schema":{"type":"object","properties":{"q":{"type":"string","enum":["x","y"]}},"required":["q"]}}],
             "tool_choice":{"type":"any"}}
            """);
        Assert.Equal("message_start", events[0].Type);
        Assert.Equal(["message_delta", "message_stop"], events.TakeLast(2).Select(e => e.Type));
        Assert.Equal("tool_use", events[^2].Data.GetProperty("delta").GetProperty("stop_reason").GetString());

        var start = events.First(e => e.Type == "content_block_start" && e.Data.GetProperty("content_block").GetProperty("type").GetString() == "tool_use").Data;
        var index = start.GetProperty("index").GetInt32();
        var block = start.GetProperty("content_block");
        Assert.StartsWith("toolu_", block.GetProperty("id").GetString());
        Assert.Equal("lookup", block.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Object, block.GetProperty("input").ValueKind);

        var json = string.Concat(events.Where(e => e.Type == "content_block_delta" && e.Data.GetProperty("index").GetInt32() == index)
            .Select(e => e.Data.GetProperty("delta")).Select(d =>
            {
                Assert.Equal("input_json_delta", d.GetProperty("type").GetString());
                return d.GetProperty("partial_json").GetString();
            }));
        using (var input = JsonDocument.Parse(json))
            Assert.Contains(input.RootElement.GetProperty("q").GetString(), new[] { "x", "y" });
        Assert.Contains(events, e => e.Type == "content_block_stop" && e.Data.GetProperty("index").GetInt32() == index);
        // Blocks are numbered in order from 0, each started once and stopped once.
        var starts = events.Where(e => e.Type == "content_block_start").Select(e => e.Data.GetProperty("index").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(0, starts.Count), starts);
        Assert.Equal(starts, events.Where(e => e.Type == "content_block_stop").Select(e => e.Data.GetProperty("index").GetInt32()));
    }

    [Fact]
    public async Task Messages_names_the_stop_sequence_that_ended_the_reply()
    {
        var (_, first) = await HttpJson.PostAsync(_engine.Http, "/v1/messages",
            """{"messages":[{"role":"user","content":"Hello"}],"max_tokens":8,"seed":9}""");
        var text = first.GetProperty("content")[0].GetProperty("text").GetString()!;
        Assert.True(text.Length >= 4, text);
        var word = text.Substring(text.Length / 2, 2);
        var (status, stopped) = await HttpJson.PostAsync(_engine.Http, "/v1/messages",
            $$"""{"messages":[{"role":"user","content":"Hello"}],"max_tokens":8,"seed":9,"stop_sequences":[{{JsonSerializer.Serialize(word)}}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("stop_sequence", stopped.GetProperty("stop_reason").GetString());
        Assert.Equal(word, stopped.GetProperty("stop_sequence").GetString());
        Assert.Equal(text[..text.IndexOf(word, StringComparison.Ordinal)], stopped.GetProperty("content")[0].GetProperty("text").GetString());
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
