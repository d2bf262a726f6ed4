using System.Net;
using System.Text.Json;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Api;

/// <summary>/infill over HTTP against generated models that declare fill-in-the-middle tokens (and one that does not).</summary>
public sealed class InfillTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("modelswap-infill-tests-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<TestEngine> StartAsync(FimTokenKeys keys)
    {
        var path = Path.Combine(_dir, $"tiny-{keys}.gguf");
        TinyModelBuilder.Write(path, new TinyModelOptions { Seed = 21, FillInTheMiddle = keys });
        return await TestEngine.StartAsync(new EngineOptions { ModelPath = path, Alias = "coder", ContextSize = 512 });
    }

    private static string Request(string extra = "") =>
        $$"""{"input_prefix":"def add(a, b):\n    ","input_suffix":"\nprint(add(1, 2))","prompt":"","n_predict":8,"seed":4{{extra}}}""";

    [Theory]
    [InlineData(FimTokenKeys.Current)]
    [InlineData(FimTokenKeys.Legacy)]
    public async Task Fills_the_middle_with_the_markers_in_prefix_suffix_middle_order(FimTokenKeys keys)
    {
        await using var engine = await StartAsync(keys);

        var (status, body) = await HttpJson.PostAsync(engine.Http, "/infill", Request());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("content").GetString()));
        Assert.True(body.GetProperty("stop").GetBoolean());
        Assert.Equal("limit", body.GetProperty("stop_type").GetString());
        Assert.Equal(8, body.GetProperty("tokens_predicted").GetInt32());
        Assert.Equal("coder", body.GetProperty("model").GetString());
        var prompt = body.GetProperty("prompt").GetString()!;
        Assert.Equal(body.GetProperty("tokens_evaluated").GetInt32(), body.GetProperty("timings").GetProperty("prompt_n").GetInt32());
        var pre = prompt.IndexOf("<|fim_prefix|>", StringComparison.Ordinal);
        var def = prompt.IndexOf("def add", StringComparison.Ordinal);
        var suf = prompt.IndexOf("<|fim_suffix|>", StringComparison.Ordinal);
        var print = prompt.IndexOf("print(add", StringComparison.Ordinal);
        Assert.True(pre >= 0 && pre < def && def < suf && suf < print, prompt);
        Assert.EndsWith("<|fim_middle|>", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_native_events_ending_with_stop_and_timings()
    {
        await using var engine = await StartAsync(FimTokenKeys.Current);

        var stream = await SseStream.ReadAsync(engine.Http, "/infill", Request(""","stream":true"""));

        Assert.False(stream.Done); // llama-server's native streams end without [DONE]
        var pieces = stream.Events.Where(e => !e.GetProperty("stop").GetBoolean()).Select(e => e.GetProperty("content").GetString()).ToList();
        Assert.True(pieces.Count >= 4, $"expected a piece per token, got {pieces.Count}");
        var last = stream.Events[^1];
        Assert.True(last.GetProperty("stop").GetBoolean());
        Assert.Equal(8, last.GetProperty("tokens_predicted").GetInt32());
        Assert.True(last.GetProperty("timings").GetProperty("predicted_n").GetInt32() == 8);

        var (_, whole) = await HttpJson.PostAsync(engine.Http, "/infill", Request());
        Assert.Equal(whole.GetProperty("content").GetString(), string.Concat(pieces)); // same seed, same text
    }

    [Fact]
    public async Task Stop_type_is_limit_at_the_token_limit_and_word_with_the_stopping_word_for_a_stop_string()
    {
        await using var engine = await StartAsync(FimTokenKeys.Current);

        var (_, whole) = await HttpJson.PostAsync(engine.Http, "/infill", Request());
        Assert.Equal("limit", whole.GetProperty("stop_type").GetString());
        Assert.Equal("", whole.GetProperty("stopping_word").GetString());

        // A stop string taken from the middle of the same seed's text ends the reply there.
        var text = whole.GetProperty("content").GetString()!;
        Assert.True(text.Length >= 4, text);
        var word = text.Substring(text.Length / 2, 2);
        var (status, stopped) = await HttpJson.PostAsync(engine.Http, "/infill", Request($$""","stop":[{{JsonSerializer.Serialize(word)}}]"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("word", stopped.GetProperty("stop_type").GetString());
        Assert.Equal(word, stopped.GetProperty("stopping_word").GetString());
        Assert.Equal(text[..text.IndexOf(word, StringComparison.Ordinal)], stopped.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Extra_files_come_before_the_prefix()
    {
        await using var engine = await StartAsync(FimTokenKeys.Current);

        var (status, body) = await HttpJson.PostAsync(engine.Http, "/infill",
            Request(""","input_extra":[{"filename":"util.py","text":"cat dog"}]"""));

        Assert.Equal(HttpStatusCode.OK, status);
        var prompt = body.GetProperty("prompt").GetString()!;
        var snippet = prompt.IndexOf("--- snippet ---", StringComparison.Ordinal);
        Assert.True(snippet >= 0 && snippet < prompt.IndexOf("cat dog", StringComparison.Ordinal), prompt);
        Assert.True(prompt.IndexOf("cat dog", StringComparison.Ordinal) < prompt.IndexOf("<|fim_prefix|>", StringComparison.Ordinal), prompt);
    }

    [Fact]
    public async Task A_model_without_fim_tokens_gets_a_400_naming_them()
    {
        await using var engine = await StartAsync(FimTokenKeys.None);

        var (status, body) = await HttpJson.PostAsync(engine.Http, "/infill", Request());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = HttpJson.ErrorMessage(body);
        Assert.Contains("cannot fill in the middle", message, StringComparison.Ordinal);
        Assert.Contains("fim_pre_token_id", message, StringComparison.Ordinal);
        Assert.Equal("infill_not_supported", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"input_prefix":"a"}""", "'input_suffix' is required")]
    [InlineData("""{"input_suffix":"a"}""", "'input_prefix' is required")]
    [InlineData("""{"input_prefix":1,"input_suffix":"a"}""", "'input_prefix' must be a string")]
    [InlineData("""{"input_prefix":"a","input_suffix":"b","input_extra":"x"}""", "'input_extra' must be an array")]
    [InlineData("""{"input_prefix":"a","input_suffix":"b","input_extra":[{"filename":"a"}]}""", "'input_extra[0].text' must be a string")]
    [InlineData("""{"input_prefix":"a","input_suffix":"b","n":2}""", "'n' must be 1")]
    public async Task Bad_requests_name_the_field(string json, string expected)
    {
        await using var engine = await StartAsync(FimTokenKeys.Current);

        var (status, body) = await HttpJson.PostAsync(engine.Http, "/infill", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, HttpJson.ErrorMessage(body), StringComparison.Ordinal);
    }
}
