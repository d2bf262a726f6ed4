using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ModelSwap.Engine.Api;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;
using ModelSwap.Testing;

namespace ModelSwap.Engine.Tests.Api;

/// <summary>
/// Images named by http(s) URL: fetched from a real local server as llama-server fetches them, counted
/// exactly as the same image sent inline, and refused with a 400 naming the part and the problem when
/// the URL is unreachable, fails, is too large or is not an image; `--no-image-urls` turns fetching off.
/// </summary>
public sealed class ImageUrlTests(VisionModels models) : IClassFixture<VisionModels>, IAsyncLifetime
{
    private static readonly byte[] Png = TestImages.Png(40, 30);
    private readonly FakeTimeProvider _time = new();
    private TestEngine _engine = null!;
    private TestEngine _offline = null!;
    private ImageServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ImageServer.StartAsync(Png, ImageFetcher.MaxBytes + 1024);
        _engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, ProjectorPath = models.Projector, ContextSize = 512, Parallel = 2 }, time: _time);
        _offline = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, ProjectorPath = models.Projector, ContextSize = 512, Parallel = 1, ImageUrls = false });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _offline.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static string Chat(string url) =>
        $$$"""{"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"{{{url}}}"}}]}],"max_tokens":4,"seed":5}""";

    [Theory]
    [InlineData("/cat.png")]
    [InlineData("/download")]
    [InlineData("/moved.png")]
    public async Task A_fetched_image_counts_and_answers_as_the_same_image_sent_inline(string path)
    {
        var (inlineStatus, inline) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions", Chat(TestImages.DataUrl(Png)));
        Assert.Equal(HttpStatusCode.OK, inlineStatus);
        var (status, fetched) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions", Chat(_server.Url(path)));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(inline.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), fetched.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(Content(inline), Content(fetched)); // same seed, same image: same reply
    }

    [Fact]
    public async Task Responses_and_messages_fetch_urls_too()
    {
        var (status, response) = await HttpJson.PostAsync(_engine.Http, "/v1/responses", $$"""
            {"input":[{"role":"user","content":[{"type":"input_text","text":"Describe"},{"type":"input_image","image_url":"{{_server.Url("/cat.png")}}"}]}],"max_output_tokens":2}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(response.GetProperty("usage").GetProperty("input_tokens").GetInt32() > Core.Catalog.Gguf.TinyProjectorBuilder.ImageTokens);

        var (messageStatus, message) = await HttpJson.PostAsync(_engine.Http, "/v1/messages", $$$"""
            {"max_tokens":2,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"{{{_server.Url("/cat.png")}}}"}},{"type":"text","text":"What is it?"}]}]}
            """);
        Assert.Equal(HttpStatusCode.OK, messageStatus);
        Assert.True(message.GetProperty("usage").GetProperty("input_tokens").GetInt32() > Core.Catalog.Gguf.TinyProjectorBuilder.ImageTokens);
    }

    [Theory]
    [InlineData("/missing.png", "the server answered HTTP 404 Not Found", "image_download_failed")]
    [InlineData("/page.html", "it is not an image (Content-Type text/html", "invalid_image")]
    [InlineData("/huge.png", "it is larger than the 20 MiB an image may be (", "image_too_large")]
    [InlineData("/huge-chunked.png", "it is larger than the 20 MiB an image may be", "image_too_large")]
    public async Task A_url_that_gives_no_usable_image_is_a_400_naming_the_part_and_the_problem(string path, string problem, string code)
    {
        var url = _server.Url(path);
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions", Chat(url));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = HttpJson.ErrorMessage(body);
        Assert.StartsWith($"'messages[0].content[1].image_url.url': could not use the image at {url}: ", message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("messages", body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task An_unreachable_host_is_a_400_saying_so()
    {
        // Bound but not listening: connections are refused at once, and no other process can take the port meanwhile.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var url = $"http://127.0.0.1:{((IPEndPoint)closed.LocalEndPoint!).Port}/cat.png";
        var (status, body) = await HttpJson.PostAsync(_engine.Http, "/v1/chat/completions", Chat(url));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"could not use the image at {url}: unreachable (", HttpJson.ErrorMessage(body), StringComparison.Ordinal);
        Assert.Equal("image_download_failed", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_a_400_once_the_engines_clock_passes_the_timeout()
    {
        var url = _server.Url("/slow.png");
        var request = HttpJson.PostAsync(_engine.Http, "/v1/chat/completions", Chat(url));
        await _server.SlowRequested.Task.WaitAsync(TimeSpan.FromMinutes(2));
        // The download's timer was set before the request went out; the fake clock fires it, no waiting.
        _time.Advance(ImageFetcher.Timeout + TimeSpan.FromSeconds(1));
        var (status, body) = await request;
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"could not use the image at {url}: no complete answer within 10 s", HttpJson.ErrorMessage(body), StringComparison.Ordinal);
        Assert.Equal("image_download_failed", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task With_image_urls_off_a_url_is_refused_and_a_data_url_still_works()
    {
        var (status, body) = await HttpJson.PostAsync(_offline.Http, "/v1/chat/completions", Chat(_server.Url("/cat.png")));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("does not fetch image URLs (it runs with --no-image-urls)", HttpJson.ErrorMessage(body), StringComparison.Ordinal);
        Assert.Equal("image_urls_disabled", body.GetProperty("error").GetProperty("code").GetString());

        var (inlineStatus, _) = await HttpJson.PostAsync(_offline.Http, "/v1/chat/completions", Chat(TestImages.DataUrl(Png)));
        Assert.Equal(HttpStatusCode.OK, inlineStatus);
    }

    private static string? Content(JsonElement body) => body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
}
