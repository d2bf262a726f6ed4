using System.Net;
using System.Text.Json;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;
using ModelSwap.Testing;

namespace ModelSwap.Engine.Tests.Api;

/// <summary>
/// Images in chat, Responses and Messages content, through a generated projector (random weights: the
/// replies are nonsense, so these check the protocol and the token counts), and the 400s for a model
/// without one and for images the engine cannot read.
/// </summary>
public sealed class ImageInputTests(VisionModels models) : IClassFixture<VisionModels>, IAsyncLifetime
{
    private static readonly string Png = TestImages.DataUrl(TestImages.Png(40, 30));
    private TestEngine _vision = null!;
    private TestEngine _text = null!;

    public async Task InitializeAsync()
    {
        _vision = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, ProjectorPath = models.Projector, Alias = "seer", ContextSize = 512 });
        _text = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, Alias = "blind", ContextSize = 512, Parallel = 1 });
    }

    public async Task DisposeAsync()
    {
        await _vision.DisposeAsync();
        await _text.DisposeAsync();
    }

    private static readonly string ImagePart = $$$""",{"type":"image_url","image_url":{"url":"{{{Png}}}"}}""";

    private static string Chat(int images, string extra = "") =>
        $$$"""{"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"}{{{string.Concat(Enumerable.Repeat(ImagePart, images))}}}]}],"max_tokens":4,"seed":3{{{extra}}}}""";

    [Fact]
    public async Task Chat_reads_image_url_data_urls_each_as_the_projectors_tokens()
    {
        var (status, one) = await HttpJson.PostAsync(_vision.Http, "/v1/chat/completions", Chat(1));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("chat.completion", one.GetProperty("object").GetString());
        Assert.Equal("seer", one.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.String, one.GetProperty("choices")[0].GetProperty("message").GetProperty("content").ValueKind);
        Assert.Equal(4, one.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        // A second image adds its image tokens and nothing else (no line break around images, as llama-server joins parts).
        var (_, two) = await HttpJson.PostAsync(_vision.Http, "/v1/chat/completions", Chat(2));
        var added = two.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() - one.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        Assert.Equal(TinyProjectorBuilder.ImageTokens, added);

        var stream = await SseStream.ReadAsync(_vision.Http, "/v1/chat/completions", Chat(1, ""","stream":true"""));
        Assert.True(stream.Done);
        Assert.Equal("length", stream.FinishReason);
        Assert.Equal(one.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), stream.Text); // same seed, same reply
    }

    [Fact]
    public async Task An_image_prompt_joining_running_streams_leaves_every_reply_as_it_is_alone()
    {
        static string Text(int seed) => $$$"""{"messages":[{"role":"user","content":"Story {{{seed}}}"}],"max_tokens":24,"seed":{{{seed}}},"stream":true}""";
        var (_, imageAlone) = await HttpJson.PostAsync(_vision.Http, "/v1/chat/completions", Chat(1, ""","max_tokens":24"""));
        var (_, textAlone) = await HttpJson.PostAsync(_vision.Http, "/v1/chat/completions", Text(1).Replace(""","stream":true""", "", StringComparison.Ordinal));

        // Queue two text streams and the image prompt, then let them start in one step.
        _vision.Loop.Pause();
        var streams = new[] { SseStream.ReadAsync(_vision.Http, "/v1/chat/completions", Text(1)), SseStream.ReadAsync(_vision.Http, "/v1/chat/completions", Text(2)) };
        var image = SseStream.ReadAsync(_vision.Http, "/v1/chat/completions", Chat(1, ""","max_tokens":24,"stream":true"""));
        await TestEngine.WaitUntilAsync(() => _vision.Loop.QueuedGenerations == 3, "3 requests are queued");
        _vision.Loop.Resume();
        var texts = await Task.WhenAll(streams);
        var withImage = await image;

        Assert.All(texts.Append(withImage), s => Assert.Equal("length", s.FinishReason));
        Assert.Equal(imageAlone.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), withImage.Text);
        Assert.Equal(textAlone.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), texts[0].Text);
    }

    [Fact]
    public async Task N_choices_each_read_the_image_into_their_own_sequence_and_usage_counts_it_once()
    {
        // Seeds 3 and 4 alone: with n=2 and seed 3, choice j uses seed 3 + j, so the choices must be those replies.
        var (_, seed3) = await HttpJson.PostAsync(_vision.Http, "/v1/chat/completions", Chat(1));
        var (_, seed4) = await HttpJson.PostAsync(_vision.Http, "/v1/chat/completions", Chat(1).Replace("\"seed\":3", "\"seed\":4", StringComparison.Ordinal));
        var (status, both) = await HttpJson.PostAsync(_vision.Http, "/v1/chat/completions", Chat(1, ""","n":2"""));
        Assert.Equal(HttpStatusCode.OK, status);
        var choices = both.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal(Content(seed3), choices[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(Content(seed4), choices[1].GetProperty("message").GetProperty("content").GetString());
        // One prompt: its tokens (image included) once, as OpenAI and llama-server report; completions add up.
        Assert.Equal(seed3.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), both.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(8, both.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        var stream = await SseStream.ReadAsync(_vision.Http, "/v1/chat/completions",
            Chat(1, ""","n":2,"stream":true,"stream_options":{"include_usage":true}"""));
        Assert.True(stream.Done);
        var usage = stream.Events[^1].GetProperty("usage");
        Assert.Equal(seed3.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(8, usage.GetProperty("completion_tokens").GetInt32());
        var finished = stream.Events.SelectMany(e => e.GetProperty("choices").EnumerateArray())
            .Where(c => c.GetProperty("finish_reason").ValueKind == JsonValueKind.String)
            .Select(c => c.GetProperty("index").GetInt32()).Order().ToList();
        Assert.Equal([0, 1], finished);
    }

    private static string? Content(JsonElement body) => body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();

    [Fact]
    public async Task Responses_input_image_and_messages_image_blocks_are_read_too()
    {
        var (status, response) = await HttpJson.PostAsync(_vision.Http, "/v1/responses", $$"""
            {"input":[{"role":"user","content":[{"type":"input_text","text":"Describe"},{"type":"input_image","image_url":"{{Png}}"}]}],"max_output_tokens":3}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("message", response.GetProperty("output")[0].GetProperty("type").GetString());
        Assert.True(response.GetProperty("usage").GetProperty("input_tokens").GetInt32() > TinyProjectorBuilder.ImageTokens);

        // The stored conversation keeps the image: a follow-up by previous_response_id still reads it.
        var (followStatus, follow) = await HttpJson.PostAsync(_vision.Http, "/v1/responses",
            $$"""{"previous_response_id":"{{response.GetProperty("id").GetString()}}","input":"And?","max_output_tokens":2}""");
        Assert.Equal(HttpStatusCode.OK, followStatus);
        Assert.True(follow.GetProperty("usage").GetProperty("input_tokens").GetInt32() > response.GetProperty("usage").GetProperty("input_tokens").GetInt32());

        var base64 = Png[(Png.IndexOf(',', StringComparison.Ordinal) + 1)..];
        var (messageStatus, message) = await HttpJson.PostAsync(_vision.Http, "/v1/messages", $$$"""
            {"max_tokens":3,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"{{{base64}}}"}},{"type":"text","text":"What is it?"}]}]}
            """);
        Assert.Equal(HttpStatusCode.OK, messageStatus);
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("max_tokens", message.GetProperty("stop_reason").GetString());
        Assert.True(message.GetProperty("usage").GetProperty("input_tokens").GetInt32() > TinyProjectorBuilder.ImageTokens);
    }

    [Theory]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"IMG"}}]}],"max_tokens":2}""", "messages")]
    [InlineData("/v1/responses", """{"input":[{"role":"user","content":[{"type":"input_image","image_url":"IMG"}]}],"max_output_tokens":2}""", "input")]
    [InlineData("/v1/messages", """{"max_tokens":2,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"B64"}}]}]}""", "messages")]
    public async Task A_model_without_a_projector_refuses_images_in_every_api(string path, string template, string param)
    {
        var json = template.Replace("IMG", Png, StringComparison.Ordinal).Replace("B64", Png[(Png.IndexOf(',', StringComparison.Ordinal) + 1)..], StringComparison.Ordinal);
        var (status, body) = await HttpJson.PostAsync(_text.Http, path, json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("model blind has no projector (mmproj); images need one", HttpJson.ErrorMessage(body), StringComparison.Ordinal);
        Assert.Equal(param, body.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("model_not_multimodal", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("ftp://example.com/cat.png", "must be a data URL (data:image/png;base64,…) or an http(s) URL", "invalid_image_url")]
    [InlineData("data:image/webp;base64,UklGRg==", "media type 'image/webp' is not supported", "unsupported_media_type")]
    [InlineData("data:image/png,rawbytes", "must be base64-encoded", "invalid_image")]
    [InlineData("data:image/png;base64,***", "is not valid base64", "invalid_image")]
    [InlineData("data:image/png;base64,bm90IGFuIGltYWdl", "could not be decoded as image/png", "invalid_image")]
    public async Task Images_the_engine_cannot_read_get_a_400_naming_the_part(string url, string expected, string code)
    {
        var (status, body) = await HttpJson.PostAsync(_vision.Http, "/v1/chat/completions",
            $$$"""{"messages":[{"role":"user","content":[{"type":"text","text":"x"},{"type":"image_url","image_url":{"url":"{{{url}}}"}}]}],"max_tokens":2}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = HttpJson.ErrorMessage(body);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Contains("messages[0].content[1]", message, StringComparison.Ordinal);
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_projector_that_does_not_fit_the_model_fails_the_load_with_a_reason()
    {
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, ProjectorPath = models.MismatchedProjector, Parallel = 1 }, waitUntilReady: false);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.Host.WaitUntilReadyAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("projector", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(models.MismatchedProjector), error.Message, StringComparison.Ordinal);
    }
}
