using System.Text.Json.Nodes;
using ModelSwap.Gateway.Translation;

namespace ModelSwap.Gateway.Tests.Translation;

/// <summary>Ollama requests as the OpenAI requests sent to the model server.</summary>
public sealed class OllamaTranslatorTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    [Fact]
    public void Chat_streams_by_default_asks_for_usage_and_maps_options()
    {
        var request = OllamaChatTranslator.Translate(Json("""
            {"model":"m","messages":[{"role":"user","content":"hi"}],
             "options":{"temperature":0.2,"top_k":7,"top_p":0.9,"min_p":0.1,"seed":42,"stop":["x","y"],"num_predict":12,
                        "num_ctx":8192,"repeat_penalty":1.1,"num_gpu":99}}
            """));
        Assert.True(request.Stream);
        Assert.Equal(UpstreamKind.Chat, request.Kind);
        Assert.Equal("/v1/chat/completions", request.Path);
        var body = request.Body;
        Assert.True(body["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal(0.2, body["temperature"]!.GetValue<double>());
        Assert.Equal(7, body["top_k"]!.GetValue<int>());
        Assert.Equal(0.9, body["top_p"]!.GetValue<double>());
        Assert.Equal(0.1, body["min_p"]!.GetValue<double>());
        Assert.Equal(42, body["seed"]!.GetValue<int>());
        Assert.Equal(12, body["max_tokens"]!.GetValue<long>());
        Assert.Equal(1.1, body["repeat_penalty"]!.GetValue<double>());
        Assert.Equal(["x", "y"], body["stop"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Null(body["num_ctx"]); // a load-time option: the model's own settings decide it
        Assert.Null(body["num_gpu"]);
    }

    [Fact]
    public void Num_predict_below_zero_means_no_limit_and_a_single_stop_becomes_a_list()
    {
        var body = OllamaChatTranslator.Translate(Json("""{"model":"m","messages":[],"options":{"num_predict":-1,"stop":"END"}}""")).Body;
        Assert.Null(body["max_tokens"]);
        Assert.Equal("END", body["stop"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Images_become_data_url_parts_with_the_media_type_read_from_the_bytes()
    {
        var png = Convert.ToBase64String([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0, 0, 13]);
        var jpeg = Convert.ToBase64String([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1]);
        var body = OllamaChatTranslator.Translate(Json($$"""
            {"model":"m","stream":false,"messages":[{"role":"user","content":"what is it?","images":["{{png}}","{{jpeg}}"]}]}
            """)).Body;
        Assert.False(body["stream"]!.GetValue<bool>());
        Assert.Null(body["stream_options"]);
        var parts = body["messages"]![0]!["content"]!.AsArray();
        Assert.Equal("text", parts[0]!["type"]!.GetValue<string>());
        Assert.Equal("what is it?", parts[0]!["text"]!.GetValue<string>());
        Assert.Equal($"data:image/png;base64,{png}", parts[1]!["image_url"]!["url"]!.GetValue<string>());
        Assert.Equal($"data:image/jpeg;base64,{jpeg}", parts[2]!["image_url"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void Tool_calls_get_string_arguments_and_tool_results_the_id_of_their_call()
    {
        var body = OllamaChatTranslator.Translate(Json("""
            {"model":"m","tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object"}}}],
             "messages":[{"role":"user","content":"weather in Paris?"},
                         {"role":"assistant","content":"","tool_calls":[{"function":{"name":"weather","arguments":{"city":"Paris"}}}]},
                         {"role":"tool","content":"sunny","tool_name":"weather"}]}
            """)).Body;
        Assert.Equal("weather", body["tools"]![0]!["function"]!["name"]!.GetValue<string>());
        var call = body["messages"]![1]!["tool_calls"]![0]!;
        Assert.Equal("function", call["type"]!.GetValue<string>());
        Assert.Equal("""{"city":"Paris"}""", call["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal(call["id"]!.GetValue<string>(), body["messages"]![2]!["tool_call_id"]!.GetValue<string>());
    }

    [Fact]
    public void Format_json_and_a_schema_become_response_formats_and_think_a_template_switch()
    {
        var json = OllamaChatTranslator.Translate(Json("""{"model":"m","messages":[],"format":"json","think":false}""")).Body;
        Assert.Equal("json_object", json["response_format"]!["type"]!.GetValue<string>());
        Assert.False(json["chat_template_kwargs"]!["enable_thinking"]!.GetValue<bool>());

        var schema = OllamaChatTranslator.Translate(Json("""{"model":"m","messages":[],"format":{"type":"object","properties":{"a":{"type":"string"}}}}"""));
        Assert.Equal("json_schema", schema.Body["response_format"]!["type"]!.GetValue<string>());
        Assert.Equal("object", schema.Body["response_format"]!["json_schema"]!["schema"]!["type"]!.GetValue<string>());
        Assert.True(schema.WantsThinking);
        Assert.True(schema.Empty);
    }

    [Fact]
    public void Generate_is_a_chat_with_the_system_prompt_raw_is_a_completion_and_suffix_is_infill()
    {
        var chat = OllamaGenerateTranslator.Translate(Json("""{"model":"m","prompt":"hi","system":"be brief","keep_alive":"5m"}"""));
        Assert.Equal(UpstreamKind.Chat, chat.Kind);
        Assert.Equal("system", chat.Body["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("be brief", chat.Body["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal("hi", chat.Body["messages"]![1]!["content"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromMinutes(5), chat.KeepAlive);
        Assert.False(chat.Empty);

        var raw = OllamaGenerateTranslator.Translate(Json("""{"model":"m","prompt":"<s>hi","raw":true,"stream":false}"""));
        Assert.Equal("/v1/completions", raw.Path);
        Assert.Equal("<s>hi", raw.Body["prompt"]!.GetValue<string>());

        var infill = OllamaGenerateTranslator.Translate(Json("""{"model":"m","prompt":"def f(","suffix":"return x","options":{"num_predict":9}}"""));
        Assert.Equal("/infill", infill.Path);
        Assert.Equal("def f(", infill.Body["input_prefix"]!.GetValue<string>());
        Assert.Equal("return x", infill.Body["input_suffix"]!.GetValue<string>());
        Assert.Equal(9, infill.Body["n_predict"]!.GetValue<long>());

        Assert.True(OllamaGenerateTranslator.Translate(Json("""{"model":"m"}""")).Empty);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("300", 300)]
    [InlineData("\"5m\"", 300)]
    [InlineData("\"1h30m\"", 5400)]
    [InlineData("\"1.5s\"", 1.5)]
    [InlineData("\"0s\"", 0)]
    [InlineData("\"45\"", 45)]
    public void Keep_alive_reads_seconds_and_go_durations(string value, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), OllamaDuration.Parse(JsonNode.Parse(value), "keep_alive"));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("\"-1\"")]
    [InlineData("\"-5m\"")]
    public void A_negative_keep_alive_means_forever(string value)
    {
        Assert.Equal(Timeout.InfiniteTimeSpan, OllamaDuration.Parse(JsonNode.Parse(value), "keep_alive"));
    }

    [Theory]
    [InlineData("""{"model":"m","messages":"hi"}""", "messages")]
    [InlineData("""{"messages":[]}""", "model")]
    [InlineData("""{"model":"m","messages":[{"content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"model":"m","messages":[],"options":{"temperature":"hot"}}""", "options.temperature")]
    [InlineData("""{"model":"m","messages":[],"format":"xml"}""", "format")]
    [InlineData("""{"model":"m","messages":[],"keep_alive":"soon"}""", "keep_alive")]
    [InlineData("""{"model":"m","messages":[],"think":"very"}""", "think")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x","images":[1]}]}""", "images")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","tool_calls":[{"function":"f"}]}]}""", "tool_calls")]
    public void Bad_fields_are_named_in_the_error(string body, string field)
    {
        var error = Assert.Throws<OllamaRequestException>(() => OllamaChatTranslator.Translate(Json(body)));
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }
}
