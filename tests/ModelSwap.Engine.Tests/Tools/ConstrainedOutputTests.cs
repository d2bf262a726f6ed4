using System.Net;
using System.Text.Json;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Tools;

/// <summary>
/// Forced tool calls and structured output with random weights: whatever the model "wants", the
/// grammar makes every reply parse and match its schema, for many seeds.
/// </summary>
public sealed class ConstrainedOutputTests(TinyModels models) : IClassFixture<TinyModels>
{
    private const string WeatherTool = """
        {"type":"function","function":{"name":"get_weather","description":"Weather for a city",
         "parameters":{"type":"object","properties":{"location":{"type":"string","maxLength":12},"unit":{"type":"string","enum":["c","f"]},
           "days":{"type":"integer","minimum":1,"maximum":7}},"required":["location","unit"],"additionalProperties":false}}}
        """;
    private const string TimeTool = """{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"zone":{"type":"string","enum":["UTC","CET"]}},"required":["zone"]}}}""";

    [Fact]
    public async Task Required_tool_choice_always_gives_a_parsable_call_matching_the_schema()
    {
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat });
        for (var seed = 1; seed <= 8; seed++)
        {
            var (status, body) = await HttpJson.PostAsync(engine.Http, "/v1/chat/completions", $$"""
                {"messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{{WeatherTool}},{{TimeTool}}],
                 "tool_choice":"required","parallel_tool_calls":false,"max_tokens":400,"seed":{{seed}},"temperature":1.0}
                """);
            Assert.Equal(HttpStatusCode.OK, status);
            var choice = body.GetProperty("choices")[0];
            Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
            var call = Assert.Single(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray());
            Assert.StartsWith("call_", call.GetProperty("id").GetString());
            Assert.Equal("function", call.GetProperty("type").GetString());
            var name = call.GetProperty("function").GetProperty("name").GetString();
            using var arguments = JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!);
            if (name == "get_weather")
                AssertWeatherArguments(arguments.RootElement);
            else
                Assert.Contains(arguments.RootElement.GetProperty("zone").GetString(), new[] { "UTC", "CET" });
        }
    }

    [Fact]
    public async Task A_named_tool_choice_calls_that_tool_and_streams_it_as_deltas()
    {
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat });
        var stream = await SseStream.ReadAsync(engine.Http, "/v1/chat/completions", $$$"""
            {"messages":[{"role":"user","content":"time?"}],"tools":[{{{WeatherTool}}},{{{TimeTool}}}],
             "tool_choice":{"type":"function","function":{"name":"get_time"}},"max_tokens":300,"seed":3,"stream":true}
            """);
        Assert.True(stream.Done);
        Assert.Equal("tool_calls", stream.FinishReason);
        // Each call is its own delta, numbered from 0 (the named tool may be called more than once).
        var calls = stream.Events.SelectMany(e => e.GetProperty("choices").EnumerateArray())
            .Select(c => c.GetProperty("delta")).Where(d => d.TryGetProperty("tool_calls", out _))
            .SelectMany(d => d.GetProperty("tool_calls").EnumerateArray()).ToList();
        Assert.Equal(Enumerable.Range(0, calls.Count), calls.Select(c => c.GetProperty("index").GetInt32()));
        var call = calls[0];
        Assert.Equal("get_time", call.GetProperty("function").GetProperty("name").GetString());
        using var arguments = JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!);
        Assert.Contains(arguments.RootElement.GetProperty("zone").GetString(), new[] { "UTC", "CET" });
    }

    [Fact]
    public async Task The_families_own_call_syntax_is_forced_and_parsed()
    {
        var fixtures = Path.Combine(RepositoryPaths.Root, "tests", "ModelSwap.Engine.Tests", "Templates", "Fixtures");
        foreach (var family in new[] { "qwen2.5", "qwen3", "hermes-3", "llama-3.3", "mistral-nemo", "phi-4-mini", "deepseek-r1-distill", "gpt-oss" })
        {
            var path = Path.Combine(models.Directory, $"tools-{family}.gguf");
            TinyModelBuilder.Write(path, new TinyModelOptions { ChatTemplate = File.ReadAllText(Path.Combine(fixtures, family + ".jinja")) });
            await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = path });
            var (status, body) = await HttpJson.PostAsync(engine.Http, "/v1/chat/completions", $$"""
                {"messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{{WeatherTool}}],
                 "tool_choice":"required","max_tokens":400,"seed":5}
                """);
            Assert.True(status == HttpStatusCode.OK, $"{family}: {body}");
            var call = body.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];
            Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
            using var arguments = JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!);
            AssertWeatherArguments(arguments.RootElement);
        }
    }

    [Fact]
    public async Task Json_schema_response_format_always_parses_and_validates()
    {
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat });
        const string schema = """
            {"type":"object","properties":{
               "name":{"type":"string","minLength":1,"maxLength":10},
               "age":{"type":"integer","minimum":0,"maximum":120},
               "tags":{"type":"array","items":{"$ref":"#/$defs/tag"},"minItems":1,"maxItems":3},
               "pet":{"anyOf":[{"type":"null"},{"type":"string","enum":["cat","dog"]}]},
               "kind":{"const":"person"}},
             "required":["name","age","tags","pet","kind"],"additionalProperties":false,
             "$defs":{"tag":{"type":"string","enum":["a","b","c"]}}}
            """;
        for (var seed = 1; seed <= 8; seed++)
        {
            var (status, body) = await HttpJson.PostAsync(engine.Http, "/v1/chat/completions", $$$$"""
                {"messages":[{"role":"user","content":"a person"}],"max_tokens":400,"seed":{{{{seed}}}},"temperature":1.0,
                 "response_format":{"type":"json_schema","json_schema":{"name":"person","strict":true,"schema":{{{{schema}}}}}}}
                """);
            Assert.Equal(HttpStatusCode.OK, status);
            var content = body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
            using var parsed = JsonDocument.Parse(content);
            var person = parsed.RootElement;
            Assert.Equal(["name", "age", "tags", "pet", "kind"], person.EnumerateObject().Select(p => p.Name));
            Assert.InRange(person.GetProperty("name").GetString()!.Length, 1, 10);
            Assert.InRange(person.GetProperty("age").GetInt32(), 0, 120);
            Assert.InRange(person.GetProperty("tags").GetArrayLength(), 1, 3);
            Assert.All(person.GetProperty("tags").EnumerateArray(), t => Assert.Contains(t.GetString(), new[] { "a", "b", "c" }));
            Assert.True(person.GetProperty("pet").ValueKind == JsonValueKind.Null || person.GetProperty("pet").GetString() is "cat" or "dog");
            Assert.Equal("person", person.GetProperty("kind").GetString());
        }
    }

    /// <summary>
    /// What zod 4's toJSONSchema writes (AI SDK generateObject and LangChain send it as is): ±2^53
    /// integer bounds, number ranges, exclusive minimums, formats with zod's own pattern beside them.
    /// Each reply must pass the checks zod itself makes.
    /// </summary>
    [Fact]
    public async Task Zods_schema_output_always_parses_and_passes_zods_checks()
    {
        const string DatePattern = "(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))";
        const string UuidPattern = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$";
        var schema = $$$"""
            {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{
              "a":{"type":"integer","minimum":-9007199254740991,"maximum":9007199254740991},
              "b":{"type":"number","minimum":0,"maximum":1},
              "c":{"type":"integer","exclusiveMinimum":0,"maximum":9007199254740991},
              "d":{"type":"string","format":"uri"},
              "f":{"type":"number","exclusiveMinimum":0},
              "g":{"type":"string","format":"date","pattern":{{{JsonSerializer.Serialize("^" + DatePattern + "$")}}}},
              "i":{"type":"string","format":"uuid","pattern":{{{JsonSerializer.Serialize(UuidPattern)}}}},
              "n":{"type":"integer","minimum":-250,"maximum":4096},
              "t":{"type":"string","format":"date-time"},
              "e":{"type":"string","format":"email"},
              "o":{"oneOf":[{"type":"boolean"},{"type":"integer","minimum":1,"maximum":3}]},
              "z":{"type":"string","maxLength":4,"nullable":true}},
             "required":["a","b","c","d","f","g","i","n","t","e","o","z"],"additionalProperties":false}
            """;
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat });
        for (var seed = 1; seed <= 6; seed++)
        {
            var (status, body) = await HttpJson.PostAsync(engine.Http, "/v1/chat/completions", $$$$"""
                {"messages":[{"role":"user","content":"data"}],"max_tokens":500,"seed":{{{{seed}}}},"temperature":1.0,
                 "response_format":{"type":"json_schema","json_schema":{"name":"data","strict":true,"schema":{{{{schema}}}}}}}
                """);
            Assert.True(status == HttpStatusCode.OK, body.ToString());
            var content = body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
            using var parsed = JsonDocument.Parse(content);
            var o = parsed.RootElement;
            Assert.True(o.GetProperty("a").TryGetInt64(out var a) && Math.Abs(a) <= 9007199254740991, content);
            Assert.InRange(o.GetProperty("b").GetDouble(), 0, 1);
            Assert.True(o.GetProperty("c").TryGetInt64(out var c) && c > 0, content);
            Assert.True(Uri.TryCreate(o.GetProperty("d").GetString(), UriKind.Absolute, out var uri) && uri.Scheme.StartsWith("http", StringComparison.Ordinal), content);
            Assert.True(o.GetProperty("f").GetDouble() > 0, content);
            Assert.Matches("^" + DatePattern + "$", o.GetProperty("g").GetString()!);
            Assert.True(DateOnly.TryParseExact(o.GetProperty("g").GetString(), "yyyy-MM-dd", out _), content);
            Assert.Matches(UuidPattern, o.GetProperty("i").GetString()!);
            Assert.True(o.GetProperty("n").TryGetInt32(out var n) && n is >= -250 and <= 4096, content);
            Assert.True(DateTimeOffset.TryParseExact(o.GetProperty("t").GetString(), ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFK"], null, System.Globalization.DateTimeStyles.None, out _), content);
            Assert.True(System.Net.Mail.MailAddress.TryCreate(o.GetProperty("e").GetString(), out _), content);
            var one = o.GetProperty("o");
            Assert.True(one.ValueKind is JsonValueKind.True or JsonValueKind.False || (one.TryGetInt32(out var k) && k is >= 1 and <= 3), content);
            var z = o.GetProperty("z");
            Assert.True(z.ValueKind == JsonValueKind.Null || z.GetString()!.Length <= 4, content);
        }
    }

    [Theory]
    [InlineData("^[A-Z]{2}-\\d{3}(x|yz)?$")]
    [InlineData("^(?:[a-f0-9]{4}\\.){1,3}[^\\s]{2,5}$")]
    [InlineData("^\\w{1,8}@[a-z]{1,6}\\.(com|org)$")]
    [InlineData("^\"[^\"]{0,4}\"\\\\?$")]
    public async Task A_pattern_constrains_the_string_so_it_matches_for_every_seed(string pattern)
    {
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat });
        var schema = JsonSerializer.Serialize(new { type = "object", properties = new { code = new { type = "string", pattern } }, required = new[] { "code" } });
        for (var seed = 1; seed <= 6; seed++)
        {
            var (status, body) = await HttpJson.PostAsync(engine.Http, "/v1/chat/completions", $$$$"""
                {"messages":[{"role":"user","content":"a code"}],"max_tokens":200,"seed":{{{{seed}}}},"temperature":1.0,
                 "response_format":{"type":"json_schema","json_schema":{"name":"code","strict":true,"schema":{{{{schema}}}}}}}
                """);
            Assert.Equal(HttpStatusCode.OK, status);
            var content = body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
            using var parsed = JsonDocument.Parse(content);
            var code = parsed.RootElement.GetProperty("code").GetString()!;
            Assert.Matches(new System.Text.RegularExpressions.Regex(pattern), code);
        }
    }

    [Fact]
    public async Task Json_object_response_format_gives_an_object()
    {
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat });
        var (status, body) = await HttpJson.PostAsync(engine.Http, "/v1/chat/completions",
            """{"messages":[{"role":"user","content":"json please"}],"max_tokens":300,"seed":2,"response_format":{"type":"json_object"}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var choice = body.GetProperty("choices")[0];
        if (choice.GetProperty("finish_reason").GetString() == "stop")
        {
            using var parsed = JsonDocument.Parse(choice.GetProperty("message").GetProperty("content").GetString()!);
            Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
        }
        else
        {
            Assert.StartsWith("{", choice.GetProperty("message").GetProperty("content").GetString());
        }
    }

    [Theory]
    [InlineData("""{"type":"string","pattern":"^(?=a)a+$"}""", "lookahead")]
    [InlineData("""{"type":"string","pattern":"^(a)\\1$"}""", "backreference")]
    [InlineData("""{"type":"string","pattern":"\\bword"}""", "word boundary")]
    [InlineData("""{"type":"object","properties":{"x":{"type":"number","minimum":0.5}}}""", "schema.properties.x.minimum")]
    [InlineData("""{"type":"object","properties":{"x":{"$ref":"#/$defs/missing"}}}""", "#/$defs/missing")]
    [InlineData("""{"type":"string","format":"hostname"}""", "'hostname'")]
    public async Task An_unsupported_schema_feature_is_a_400_naming_it(string schema, string named)
    {
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat });
        var (status, body) = await HttpJson.PostAsync(engine.Http, "/v1/chat/completions", $$$$"""
            {"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{{{{schema}}}}}}}
            """);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(named, HttpJson.ErrorMessage(body));
        Assert.Equal("unsupported_schema", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_unsupported_keyword_in_a_tools_parameters_is_a_400_naming_it()
    {
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat });
        var (status, body) = await HttpJson.PostAsync(engine.Http, "/v1/chat/completions", """
            {"messages":[{"role":"user","content":"x"}],"tool_choice":"required","tools":[{"type":"function","function":{"name":"f",
             "parameters":{"type":"object","properties":{"a":{"type":"string","contentEncoding":"base64"}}}}}]}
            """);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'contentEncoding'", HttpJson.ErrorMessage(body));
        Assert.Equal("tools", body.GetProperty("error").GetProperty("param").GetString());
    }

    private static void AssertWeatherArguments(JsonElement arguments)
    {
        Assert.InRange(arguments.GetProperty("location").GetString()!.Length, 0, 12);
        Assert.Contains(arguments.GetProperty("unit").GetString(), new[] { "c", "f" });
        if (arguments.TryGetProperty("days", out var days))
            Assert.InRange(days.GetInt32(), 1, 7);
        Assert.All(arguments.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "location", "unit", "days" }));
    }
}
