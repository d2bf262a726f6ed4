using ModelSwap.Engine.Model;
using System.Net;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Hosting;

/// <summary>Start-up as llama-server does it: listen first, 503 while loading, 200 when ready; a bad model ends the engine.</summary>
public sealed class EngineHostTests(TinyModels models) : IClassFixture<TinyModels>
{
    [Fact]
    public async Task HealthIs503WhileLoadingThen200()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var engine = await TestEngine.StartAsync(
            new EngineOptions { ModelPath = models.Chat, BeforeLoad = ct => gate.Task.WaitAsync(ct) },
            waitUntilReady: false);

        var (loading, body) = await HttpJson.GetAsync(engine.Http, "/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, loading);
        Assert.Equal("Loading model", body.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(503, body.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(EngineStatus.Loading, engine.Host.Status);

        // Every other route says the same while loading.
        var (chatWhileLoading, _) = await HttpJson.PostAsync(engine.Http, "/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, chatWhileLoading);

        gate.SetResult();
        await engine.Host.WaitUntilReadyAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var (ready, okBody) = await HttpJson.GetAsync(engine.Http, "/health");
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal("ok", okBody.GetProperty("status").GetString());
        Assert.Equal(EngineStatus.Ready, engine.Host.Status);
    }

    [Fact]
    public async Task TruncatedModelFailsTheLoadAndRunReturnsNonZero()
    {
        var path = Path.Combine(models.Directory, "truncated.gguf");
        var bytes = await File.ReadAllBytesAsync(models.Chat);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 3)]);

        await using var host = new EngineHost(new EngineOptions { ModelPath = path, Port = 0 });
        var code = await host.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(EngineHost.ExitLoadFailed, code);
        Assert.Equal(EngineStatus.Stopped, host.Status);
        Assert.False(string.IsNullOrWhiteSpace(host.FailureReason));
    }

    [Fact]
    public async Task FailedLoadIsReportedByHealthAndWait()
    {
        var missing = Path.Combine(models.Directory, "missing.gguf");
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = missing }, waitUntilReady: false);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.Host.WaitUntilReadyAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("model file not found", error.Message, StringComparison.Ordinal);
        Assert.Equal(EngineStatus.Failed, engine.Host.Status);

        var (status, body) = await HttpJson.GetAsync(engine.Http, "/health");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("model file not found", HttpJson.ErrorMessage(body, "server_error"), StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidOptionsAreRejectedWithEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new EngineHost(new EngineOptions
        {
            ModelPath = models.Chat,
            Port = 70000,
            Threads = 0,
            Parallel = 0,
            ContextSize = 1,
            Host = "not a host",
        }));

        foreach (var option in new[] { "--port", "--threads", "--parallel", "--ctx-size", "--host" })
            Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnrecognisedChatTemplateFallsBackToChatML()
    {
        var path = Path.Combine(models.Directory, "odd-template.gguf");
        ModelSwap.Core.Catalog.Gguf.TinyModelBuilder.Write(path, new() { ChatTemplate = "{{ messages | my_own_filter }}" });
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = path });

        var ready = engine.Host.State.Ready!;
        Assert.NotNull(ready.Model.ChatFormatter.FallbackReason);
        var prompt = ready.Model.ChatFormatter.Format(new([ChatPromptFormatter.Message("user", "hi")], null, true, new Dictionary<string, object?>()));
        Assert.Equal("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", prompt);

        var (status, _) = await HttpJson.PostAsync(engine.Http, "/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"max_tokens":3}""");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task StoppingEndsARunningStreamWithAnErrorEvent()
    {
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, Parallel = 1, ContextSize = 16384 });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = new StringContent("""{"prompt":"Once upon a time","stream":true}""", System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await engine.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync());

        await engine.Host.StopAsync().WaitAsync(TimeSpan.FromMinutes(2));

        var rest = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var lastEvent = rest.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Contains("\"error\"", lastEvent, StringComparison.Ordinal);
        Assert.Contains("stopping", lastEvent, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", rest, StringComparison.Ordinal);
        Assert.Equal(EngineStatus.Stopped, engine.Host.Status);
    }
}
