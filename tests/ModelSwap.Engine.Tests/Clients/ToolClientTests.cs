#pragma warning disable OPENAI001 // Seed is marked experimental in the SDK; the engine honours it.
using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Responses;
using ChatMessage = OpenAI.Chat.ChatMessage;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;

namespace ModelSwap.Engine.Tests.Clients;

/// <summary>Tools and structured output through the .NET OpenAI SDK and Microsoft.Extensions.AI, unchanged.</summary>
public sealed class ToolClientTests(TinyModels models) : IClassFixture<TinyModels>, IAsyncLifetime
{
    private TestEngine _engine = null!;

    public async Task InitializeAsync() =>
        _engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, Alias = "tiny", ContextSize = 1024 });

    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    private ChatClient Client() => new("tiny", new ApiKeyCredential("not-needed"),
        new OpenAIClientOptions { Endpoint = new Uri(_engine.BaseAddress, "/v1"), NetworkTimeout = TimeSpan.FromSeconds(60) });

    private static readonly ChatTool Weather = ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString(
        """{"type":"object","properties":{"city":{"type":"string","enum":["Paris","Oslo"]}},"required":["city"]}"""));

    [Fact]
    public async Task OpenAiSdk_tool_call_and_result_round_trip()
    {
        var client = Client();
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];
        var options = new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateRequiredChoice(), MaxOutputTokenCount = 200, Seed = 7 };

        ChatCompletion first = await client.CompleteChatAsync(messages, options);
        Assert.Equal(OpenAI.Chat.ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        using var arguments = JsonDocument.Parse(call.FunctionArguments);
        Assert.Contains(arguments.RootElement.GetProperty("city").GetString(), new[] { "Paris", "Oslo" });

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, """{"temperature": 21}"""));
        ChatCompletion second = await client.CompleteChatAsync(messages, new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateNoneChoice(), MaxOutputTokenCount = 8, Seed = 7 });
        Assert.Equal(OpenAI.Chat.ChatFinishReason.Length, second.FinishReason);
        Assert.False(string.IsNullOrEmpty(second.Content[0].Text));
    }

    [Fact]
    public async Task ExtensionsAi_invokes_the_function_and_sends_its_result_back()
    {
        var invoked = 0;
        var function = AIFunctionFactory.Create((long days) => { invoked++; return $"21 degrees for {days} days"; }, "get_weather", "Weather forecast");
        IChatClient chat = new ChatClientBuilder(Client().AsIChatClient()).UseFunctionInvocation(configure: c => c.MaximumIterationsPerRequest = 3).Build();

        var response = await chat.GetResponseAsync([new AiChatMessage(AiChatRole.User, "Weather in Paris?")],
            new ChatOptions { Tools = [function], ToolMode = ChatToolMode.RequireAny, MaxOutputTokens = 120, Seed = 3 });

        Assert.True(invoked >= 1);
        Assert.Contains(response.Messages, m => m.Contents.OfType<FunctionResultContent>().Any());
    }

    [Fact]
    public async Task OpenAiSdk_stream_with_tools_offered_carries_content_token_by_token()
    {
        var contentUpdates = 0;
        var text = new System.Text.StringBuilder();
        OpenAI.Chat.ChatFinishReason? finish = null;
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("Hello")],
            new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateAutoChoice(), MaxOutputTokenCount = 16, Seed = 5 }))
        {
            if (update.ContentUpdate.Count > 0 && update.ContentUpdate[0].Text.Length > 0)
                contentUpdates++;
            foreach (var part in update.ContentUpdate)
                text.Append(part.Text);
            finish = update.FinishReason ?? finish;
            Assert.Empty(update.ToolCallUpdates);
        }
        // Held back whole (the old behaviour), the reply came as a single content delta.
        Assert.True(contentUpdates >= 4, $"expected content as it is generated, got {contentUpdates} content delta(s): '{text}'");
        Assert.Equal(OpenAI.Chat.ChatFinishReason.Length, finish);
    }

    [Fact]
    public async Task OpenAiSdk_streamed_tool_call_deltas_assemble_into_a_call()
    {
        var names = new System.Text.StringBuilder();
        var arguments = new System.Text.StringBuilder();
        string? id = null;
        OpenAI.Chat.ChatFinishReason? finish = null;
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("Weather in Paris?")],
            new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateRequiredChoice(), MaxOutputTokenCount = 200, Seed = 9 }))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                Assert.Equal(0, call.Index);
                id ??= call.ToolCallId;
                names.Append(call.FunctionName);
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }
            finish = update.FinishReason ?? finish;
        }
        Assert.StartsWith("call_", id);
        Assert.Equal("get_weather", names.ToString());
        using var parsed = JsonDocument.Parse(arguments.ToString());
        Assert.Contains(parsed.RootElement.GetProperty("city").GetString(), new[] { "Paris", "Oslo" });
        Assert.Equal(OpenAI.Chat.ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task ExtensionsAi_streaming_with_tools_offered_yields_text_updates_as_they_come()
    {
        var function = AIFunctionFactory.Create((string city) => "21 degrees", "get_weather", "Weather for a city");
        IChatClient chat = Client().AsIChatClient();
        var textUpdates = 0;
        await foreach (var update in chat.GetStreamingResponseAsync([new AiChatMessage(AiChatRole.User, "Hello")],
            new ChatOptions { Tools = [function], ToolMode = ChatToolMode.Auto, MaxOutputTokens = 16, Seed = 5 }))
        {
            if (!string.IsNullOrEmpty(update.Text))
                textUpdates++;
        }
        Assert.True(textUpdates >= 4, $"expected text as it is generated, got {textUpdates} update(s)");
    }

    public sealed record Reading(long Count, bool Ok);

    [Fact]
    public async Task ExtensionsAi_structured_output_deserialises_to_a_typed_object()
    {
        IChatClient chat = Client().AsIChatClient();
        for (var seed = 1; seed <= 4; seed++)
        {
            var response = await chat.GetResponseAsync<Reading>("Give me a reading.", new ChatOptions { MaxOutputTokens = 200, Seed = seed });
            Assert.True(response.TryGetResult(out var reading), response.Text);
            Assert.NotNull(reading);
        }
    }

    [Fact]
    public async Task ExtensionsAi_over_the_Responses_API_answers_and_calls_functions()
    {
        var responses = new ResponsesClient(new ApiKeyCredential("not-needed"),
            new ResponsesClientOptions { Endpoint = new Uri(_engine.BaseAddress, "/v1"), NetworkTimeout = TimeSpan.FromSeconds(60) });
        IChatClient chat = responses.AsIChatClient("tiny");

        var response = await chat.GetResponseAsync("Hello there", new ChatOptions { MaxOutputTokens = 6, Instructions = "Be brief." });
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Equal(6, response.Usage?.OutputTokenCount);

        // (Streaming over the Responses API is covered by the Node `openai` test: Microsoft.Extensions.AI.OpenAI
        // 10.11 is built against OpenAI 2.14, whose streaming method 2.15 changed.)

        var invoked = 0;
        var function = AIFunctionFactory.Create((long days) => { invoked++; return $"{days} days"; }, "forecast", "Forecast");
        IChatClient withFunctions = new ChatClientBuilder(chat).UseFunctionInvocation(configure: c => c.MaximumIterationsPerRequest = 3).Build();
        var called = await withFunctions.GetResponseAsync([new AiChatMessage(AiChatRole.User, "Forecast?")],
            new ChatOptions { Tools = [function], ToolMode = ChatToolMode.RequireAny, MaxOutputTokens = 120 });
        Assert.True(invoked >= 1);
        Assert.Contains(called.Messages, m => m.Contents.OfType<FunctionResultContent>().Any());
    }
}
