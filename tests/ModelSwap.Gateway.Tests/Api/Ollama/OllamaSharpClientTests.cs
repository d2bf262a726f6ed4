using Microsoft.Extensions.AI;
using ModelSwap.Gateway.Translation;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;

namespace ModelSwap.Gateway.Tests.Api.Ollama;

/// <summary>
/// OllamaSharp (NuGet 5.5.2), the .NET Ollama client, against the gateway with the demo models: the
/// same calls as the JavaScript client, plus Microsoft.Extensions.AI's IChatClient over it.
/// </summary>
public sealed class OllamaSharpClientTests : IAsyncLifetime
{
    private OllamaDemoHost _demo = null!;
    private OllamaApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _demo = await OllamaDemoHost.StartAsync();
        _client = new OllamaApiClient(new HttpClient { BaseAddress = _demo.BaseAddress, Timeout = TimeSpan.FromMinutes(2) });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _demo.DisposeAsync();
    }

    [Fact]
    public async Task Version_list_show_and_ps()
    {
        Assert.True(await _client.IsRunningAsync());
        Assert.True(Version.Parse(await _client.GetVersionAsync()) >= new Version(0, 6, 4));

        var models = (await _client.ListLocalModelsAsync()).ToList();
        var chat = Assert.Single(models, m => m.Name == OllamaModelNames.Display(_demo.ChatModel));
        Assert.True(chat.Size > 0);
        Assert.Equal("gguf", chat.Details.Format);
        Assert.Equal("llama", chat.Details.Family);
        Assert.Contains(models, m => m.Name == OllamaModelNames.Display(_demo.EmbedModel));

        var show = await _client.ShowModelAsync(new ShowModelRequest { Model = _demo.ChatModel });
        Assert.Contains("completion", show.Capabilities!);
        Assert.Equal("llama", show.Info.Architecture);
        var embedShow = await _client.ShowModelAsync(new ShowModelRequest { Model = _demo.EmbedModel });
        Assert.Equal(["embedding"], embedShow.Capabilities!);

        await foreach (var _ in _client.GenerateAsync(new GenerateRequest { Model = _demo.ChatModel, Prompt = "" }))
        {
            // an empty prompt only loads the model
        }
        var running = (await _client.ListRunningModelsAsync()).ToList();
        var loaded = Assert.Single(running, m => m.Name == OllamaModelNames.Display(_demo.ChatModel));
        Assert.True(loaded.ExpiresAt > DateTime.UtcNow.AddYears(-1));
    }

    [Fact]
    public async Task Chat_streamed_and_whole_generate_and_embed()
    {
        var options = new RequestOptions { NumPredict = 5, Seed = 9 };
        var text = "";
        ChatDoneResponseStream? done = null;
        var parts = 0;
        await foreach (var part in _client.ChatAsync(new ChatRequest
        {
            Model = _demo.ChatModel,
            Messages = [new Message { Role = OllamaSharp.Models.Chat.ChatRole.User, Content = "hello" }],
            Options = options,
        }))
        {
            parts++;
            text += part?.Message.Content;
            done = part as ChatDoneResponseStream ?? done;
        }
        Assert.True(parts >= 3);
        Assert.NotNull(done);
        Assert.Equal(5, done.EvalCount);
        Assert.Equal("length", done.DoneReason);
        Assert.False(string.IsNullOrEmpty(text));

        var whole = "";
        await foreach (var part in _client.ChatAsync(new ChatRequest
        {
            Model = _demo.ChatModel,
            Messages = [new Message { Role = OllamaSharp.Models.Chat.ChatRole.User, Content = "hello" }],
            Options = options,
            Stream = false,
        }))
        {
            whole += part?.Message.Content;
        }
        Assert.Equal(text, whole); // same seed and prompt

        var generated = "";
        await foreach (var part in _client.GenerateAsync(new GenerateRequest { Model = _demo.ChatModel, Prompt = "once", Options = options }))
        {
            generated += part?.Response;
        }
        Assert.False(string.IsNullOrEmpty(generated));

        var embedded = await _client.EmbedAsync(new EmbedRequest { Model = _demo.EmbedModel, Input = ["hello", "world"] });
        Assert.Equal(2, embedded.Embeddings.Count);
        Assert.Equal(64, embedded.Embeddings[0].Length);
    }

    [Fact]
    public async Task Microsoft_extensions_ai_chat_client_over_ollamasharp()
    {
        IChatClient chat = _client;
        var response = await chat.GetResponseAsync("hello", new ChatOptions { ModelId = _demo.ChatModel, MaxOutputTokens = 4 });
        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.Equal(4, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task Copy_gives_the_model_a_new_name_that_chats()
    {
        await _client.CopyModelAsync(new CopyModelRequest { Source = _demo.ChatModel, Destination = "my-chat" });
        Assert.Contains(await _client.ListLocalModelsAsync(), m => m.Name == OllamaModelNames.Display(_demo.ChatModel));
        var answer = "";
        await foreach (var part in _client.GenerateAsync(new GenerateRequest { Model = "my-chat:latest", Prompt = "hi", Options = new RequestOptions { NumPredict = 2 } }))
        {
            answer += part?.Response;
        }
        Assert.False(string.IsNullOrEmpty(answer));
        var conflict = await Assert.ThrowsAsync<HttpRequestException>(() =>
            _client.CopyModelAsync(new CopyModelRequest { Source = _demo.EmbedModel, Destination = "my-chat" }));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, conflict.StatusCode);
    }

    [Fact]
    public async Task Pull_with_progress_then_delete()
    {
        var statuses = new List<PullModelResponse>();
        await foreach (var status in _client.PullModelAsync(new PullModelRequest { Model = OllamaDemoHost.PullName }))
        {
            statuses.Add(status!);
        }
        Assert.Equal("success", statuses[^1].Status);
        Assert.Contains(statuses, s => s.Total > 0 && s.Completed == s.Total);
        Assert.Contains(await _client.ListLocalModelsAsync(), m => m.Name == "tinychat:1b-instruct");

        await _client.DeleteModelAsync(new DeleteModelRequest { Model = "tinychat:1b-instruct" });
        Assert.DoesNotContain(await _client.ListLocalModelsAsync(), m => m.Name == "tinychat:1b-instruct");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => _client.DeleteModelAsync(new DeleteModelRequest { Model = "tinychat:1b-instruct" }));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
    }
}
