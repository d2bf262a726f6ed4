using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Tests.Functional;

namespace ModelSwap.Gateway.Tests.Api.Ollama;

/// <summary>
/// Ollama's routes on a real gateway whose model is a real fake-upstream process: the NDJSON framing
/// byte by byte, whole answers, tool calls, durations from the upstream's timings, names, errors.
/// </summary>
public sealed class OllamaApiTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync($"""
            models:
              "fake:7b":
                cmd: {GatewayTestHost.FakeCmd("fake")}
                aliases: [my-alias]
                filters:
                  setParams:
                    fake_chunks: 3
              plain:
                cmd: {GatewayTestHost.FakeCmd("plain")}
            """);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _host.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_streamed_chat_is_one_compact_json_object_per_line_ending_in_a_done_line()
    {
        using var response = await PostAsync("/api/chat", """{"model":"fake:7b","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        // Byte by byte: UTF-8 without BOM, '\n' after every object and nothing else between them.
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal((byte)'\n', bytes[^1]);
        Assert.DoesNotContain((byte)'\r', bytes);
        var lines = new List<JsonObject>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)'\n')
            {
                continue;
            }
            var line = Encoding.UTF8.GetString(bytes, start, i - start);
            Assert.StartsWith("{", line, StringComparison.Ordinal);
            Assert.EndsWith("}", line, StringComparison.Ordinal);
            Assert.DoesNotContain("\n", line, StringComparison.Ordinal);
            Assert.Equal(JsonNode.Parse(line)!.ToJsonString(), line); // compact: no indentation or spaces added
            lines.Add(JsonNode.Parse(line)!.AsObject());
            start = i + 1;
        }
        Assert.Equal(bytes.Length, start);

        Assert.Equal(4, lines.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("fake:7b", lines[i]["model"]!.GetValue<string>());
            Assert.False(lines[i]["done"]!.GetValue<bool>());
            Assert.Equal("assistant", lines[i]["message"]!["role"]!.GetValue<string>());
            Assert.Equal($"chunk{i} ", lines[i]["message"]!["content"]!.GetValue<string>());
            Assert.True(DateTimeOffset.TryParse(lines[i]["created_at"]!.GetValue<string>(), out _));
        }
        var done = lines[3];
        Assert.True(done["done"]!.GetValue<bool>());
        Assert.Equal("stop", done["done_reason"]!.GetValue<string>());
        Assert.Equal("", done["message"]!["content"]!.GetValue<string>());
        // Counts from the upstream's usage, durations (ns) from its timings.
        Assert.Equal(1, done["prompt_eval_count"]!.GetValue<long>());
        Assert.Equal(3, done["eval_count"]!.GetValue<long>());
        Assert.Equal(2_500_000, done["prompt_eval_duration"]!.GetValue<long>());
        Assert.Equal(7_500_000, done["eval_duration"]!.GetValue<long>());
        Assert.True(done["total_duration"]!.GetValue<long>() >= done["load_duration"]!.GetValue<long>());
    }

    [Fact]
    public async Task Stream_false_answers_one_object_with_the_whole_text()
    {
        using var response = await PostAsync("/api/chat", """{"model":"my-alias","stream":false,"messages":[{"role":"user","content":"hi"}]}""");
        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("my-alias", reply["model"]!.GetValue<string>());
        Assert.Equal("chunk0 chunk1 chunk2 ", reply["message"]!["content"]!.GetValue<string>());
        Assert.True(reply["done"]!.GetValue<bool>());
        Assert.Equal(3, reply["eval_count"]!.GetValue<long>());

        var generated = await (await PostAsync("/api/generate", """{"model":"fake:7b","prompt":"hi","stream":false}""")).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("chunk0 chunk1 chunk2 ", generated!["response"]!.GetValue<string>());
        Assert.Equal("stop", generated["done_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_streamed_generate_carries_the_text_in_response()
    {
        using var response = await PostAsync("/api/generate", """{"model":"fake:7b","prompt":"hi"}""");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal("chunk0 chunk1 chunk2 ", string.Concat(lines.Select(l => l["response"]!.GetValue<string>())));
        Assert.True(lines[^1]["done"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Tool_calls_come_back_with_arguments_as_an_object(bool stream)
    {
        var body = """{"model":"fake:7b","stream":""" + (stream ? "true" : "false") + """
            ,"messages":[{"role":"user","content":"weather?"}],
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
            """;
        using var response = await PostAsync("/api/chat", body);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var calls = lines.Select(l => l["message"]?["tool_calls"]).OfType<JsonArray>().ToList();
        var call = Assert.Single(Assert.Single(calls));
        Assert.Equal("get_weather", call!["function"]!["name"]!.GetValue<string>());
        Assert.Equal("Paris", call["function"]!["arguments"]!["city"]!.GetValue<string>());
        Assert.True(lines[^1]["done"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Embed_and_the_older_embeddings_answer_in_their_own_shapes()
    {
        var embed = await (await PostAsync("/api/embed", """{"model":"plain","input":["a"]}""")).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal([0.6, 0.8, 0.0], embed!["embeddings"]![0]!.AsArray().Select(v => Math.Round(v!.GetValue<double>(), 3)));
        Assert.Equal(1, embed["prompt_eval_count"]!.GetValue<int>());
        var legacy = await (await PostAsync("/api/embeddings", """{"model":"plain:latest","prompt":"a"}""")).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(3, legacy!["embedding"]!.AsArray().Count);
    }

    [Fact]
    public async Task An_empty_prompt_loads_the_model_and_keep_alive_zero_unloads_it()
    {
        var load = await (await PostAsync("/api/generate", """{"model":"plain"}""")).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("load", load!["done_reason"]!.GetValue<string>());
        Assert.Equal(["plain"], await _host.RunningAsync());

        var unload = await (await PostAsync("/api/generate", """{"model":"plain","keep_alive":0}""")).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("unload", unload!["done_reason"]!.GetValue<string>());
        Assert.Empty(await _host.RunningAsync());
    }

    [Fact]
    public async Task Keep_alive_zero_on_a_chat_unloads_the_model_by_the_time_the_answer_ends()
    {
        using var response = await PostAsync("/api/chat", """{"model":"plain","keep_alive":0,"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Contains("\"done\":true", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await _host.RunningAsync());
    }

    [Theory]
    [InlineData("/api/chat", """{"model":"nope","messages":[]}""", 404, "model 'nope' not found")]
    [InlineData("/api/generate", """{"model":"fake:13b","prompt":"x"}""", 404, "model 'fake:13b' not found")]
    [InlineData("/api/chat", """{"messages":[]}""", 400, "model is required")]
    [InlineData("/api/chat", """{"model":""", 400, "not valid JSON")]
    [InlineData("/api/generate", "", 400, "empty")]
    [InlineData("/api/embed", """{"model":"plain"}""", 400, "input is required")]
    [InlineData("/api/chat", """{"model":"plain","messages":[],"keep_alive":"soon"}""", 400, "keep_alive")]
    public async Task Errors_use_ollamas_shape_with_the_right_status(string path, string body, int status, string message)
    {
        using var response = await PostAsync(path, body);
        Assert.Equal(status, (int)response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Contains(message, error.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_and_root_answer_like_ollama_and_a_browser_is_sent_to_the_dashboard()
    {
        var version = await _host.Client.GetFromJsonAsync<JsonObject>("/api/version");
        Assert.True(Version.Parse(version!["version"]!.GetValue<string>()) >= new Version(0, 6, 4));
        Assert.False(string.IsNullOrEmpty(version["modelswap"]!.GetValue<string>()));

        var root = await _host.Client.GetStringAsync("/");
        Assert.Contains("Ollama is running", root, StringComparison.Ordinal);
        Assert.Contains("ModelSwap", root, StringComparison.Ordinal);

        using var browser = new HttpRequestMessage(HttpMethod.Get, "/");
        browser.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.Client.BaseAddress };
        using var redirect = await noRedirects.SendAsync(browser);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/ui", redirect.Headers.Location!.ToString());
    }
}
