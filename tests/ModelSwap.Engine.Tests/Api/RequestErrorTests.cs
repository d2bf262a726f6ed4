using System.Net;
using System.Text.RegularExpressions;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Api;

/// <summary>Bad requests get OpenAI's error envelope with a message naming the field and the problem.</summary>
public sealed partial class RequestErrorTests(TinyModels models) : IClassFixture<TinyModels>, IAsyncLifetime
{
    private TestEngine _engine = null!;

    public async Task InitializeAsync() =>
        _engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, ContextSize = 64, Parallel = 2 });

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Theory]
    [InlineData("{\"messages\": [", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object, not an array")]
    [InlineData("{}", "'messages' is required")]
    [InlineData("{\"messages\":\"hi\"}", "'messages' must be an array, not a string")]
    [InlineData("{\"messages\":[]}", "at least one message")]
    [InlineData("{\"messages\":[42]}", "'messages[0]' must be an object")]
    [InlineData("{\"messages\":[{\"content\":\"hi\"}]}", "'messages[0].role' must be a string")]
    [InlineData("{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", "'messages[0].role' is 'wizard'")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":7}]}", "'messages[0].content' must be a string or an array")]
    [InlineData("{\"messages\":[{\"role\":\"user\"}]}", "'messages[0].content' is required")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]}", "'messages[0].content[0].image_url' is required")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}", "'temperature' must be a number, not a string")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":3}", "'temperature' must be between 0 and 2, got 3")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":\"ten\"}", "'max_tokens' must be an integer")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1.5}", "'max_tokens' must be an integer, not 1.5")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stop\":5}", "'stop' must be a string or an array of strings")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stop\":[\"a\",1]}", "'stop[1]' must be a string")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}", "'stream' must be true or false")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":17}", "'n' must be between 1 and 16")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":0}", "Expected a value >= 1, but got 0")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"top_p\":-0.1}", "'top_p' must be between 0 and 1")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"logprobs\":true,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}", "'logprobs' with 'tools' offered is not supported")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"g\"}}}", "'tool_choice' names the function 'g', which is not among the tools")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":\"always\"}", "'tool_choice' must be 'auto', 'none', 'required' or a named function, not 'always'")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tool_choice\":\"required\"}", "'tool_choice' is 'required', but the request offers no 'tools'")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"g\"}}}", "'tool_choice' is a named function, but the request offers no 'tools'")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":{}}", "'tools' must be an array, not an object")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":\"web_search\"}]}", "'tools[0]' must be a function tool")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"response_format\":{\"type\":\"xml\"}}", "'response_format' type 'xml' is not one of text, json_object, json_schema")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\"}}}", "'response_format' of type json_schema needs a 'schema'")]
    public async Task BadChatRequestsGet400WithTheReason(string body, string expected)
    {
        var (status, json) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, HttpJson.ErrorMessage(json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "'prompt' is required")]
    [InlineData("{\"prompt\":{}}", "'prompt' must be a string")]
    [InlineData("{\"prompt\":[\"a\",5]}", "'prompt[1]' must be a string or an array of token ids")]
    [InlineData("{\"prompt\":[1,999999]}", "'prompt[1]' must be a token id between 0 and 511")]
    [InlineData("{\"prompt\":\"hi\",\"echo\":true}", "'echo' is not supported")]
    public async Task BadCompletionRequestsGet400WithTheReason(string body, string expected)
    {
        var (status, json) = await HttpJson.PostAsync(_engine.Http, "/v1/completions", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, HttpJson.ErrorMessage(json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromptLongerThanTheContextNamesBothNumbers()
    {
        var words = string.Join(' ', Enumerable.Repeat("the cat and the dog", 40));
        var (status, json) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions",
            $$"""{"messages":[{"role":"user","content":"{{words}}"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("context_length_exceeded", json.GetProperty("error").GetProperty("code").GetString());
        var message = HttpJson.ErrorMessage(json);
        Assert.Contains("maximum context length is 64 tokens", message, StringComparison.Ordinal);
        var promptTokens = int.Parse(PromptTokens().Match(message).Groups[1].Value);
        Assert.True(promptTokens > 64, message);

        // The engine is unharmed: a short request still works.
        var (ok, _) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"max_tokens":2}""");
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Fact]
    public async Task GenerationStopsWithLengthWhenTheContextIsFull()
    {
        // No max_tokens: the reply runs until the request's 64-token context is full.
        var (status, json) = await HttpJson.PostAsync(_engine.Http, "/v1/completions", """{"prompt":"hello","temperature":0}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("length", json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(64, json.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task EmbeddingsWithoutTheFlagAre501()
    {
        var (status, json) = await HttpJson.PostAsync(_engine.Http, "/v1/embeddings", """{"input":"hi"}""");

        Assert.Equal(HttpStatusCode.NotImplemented, status);
        Assert.Contains("--embeddings", HttpJson.ErrorMessage(json, "not_supported_error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoutesAndWrongMethodsGetEnvelopes()
    {
        var (notFound, json) = await HttpJson.GetAsync(_engine.Http, "/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, notFound);
        Assert.Contains("/v1/nothing-here", HttpJson.ErrorMessage(json), StringComparison.Ordinal);

        var (wrongMethod, json2) = await HttpJson.GetAsync(_engine.Http, "/v1/chat/completions");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod);
        Assert.Contains("takes POST", HttpJson.ErrorMessage(json2), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"the prompt has (\d+) tokens")]
    private static partial Regex PromptTokens();
}
