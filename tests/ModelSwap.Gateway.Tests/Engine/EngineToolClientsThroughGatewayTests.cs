#pragma warning disable OPENAI001 // Seed and the Responses client are marked experimental in the SDK; the engine honours them.
using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelSwap.Gateway.Tests.Functional;
using ModelSwap.Testing;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Responses;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;

namespace ModelSwap.Gateway.Tests.Engine;

/// <summary>
/// The .NET OpenAI SDK and Microsoft.Extensions.AI against the built-in engine through the gateway:
/// a tool call and its result round trip, structured output into a typed object, and the Responses
/// API with a function. Random weights: the checks are on the protocol and on grammar-made output.
/// </summary>
public sealed class EngineToolClientsThroughGatewayTests : IAsyncLifetime
{
    private TinyEngineGateway _engine = null!;

    private GatewayTestHost Host => _engine.Host;

    public async Task InitializeAsync() => _engine = await TinyEngineGateway.StartAsync(seed: 23);

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    public sealed record Reading(long Count, bool Ok);

    [Fact]
    public async Task Tools_typed_structured_output_and_the_Responses_API_through_the_gateway()
    {
        var endpoint = new Uri(Host.Client.BaseAddress!, "/v1");
        var chat = new ChatClient("tiny", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = endpoint, NetworkTimeout = TimeSpan.FromSeconds(120) });

        // OpenAI SDK: a forced call, then its result sent back.
        var weather = ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString(
            """{"type":"object","properties":{"city":{"type":"string","enum":["Paris","Oslo"]}},"required":["city"]}"""));
        List<OpenAI.Chat.ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];
        ChatCompletion first = await chat.CompleteChatAsync(messages, new ChatCompletionOptions { Tools = { weather }, ToolChoice = ChatToolChoice.CreateRequiredChoice(), MaxOutputTokenCount = 200, Seed = 7 });
        Assert.Equal(OpenAI.Chat.ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        using (var arguments = JsonDocument.Parse(call.FunctionArguments))
            Assert.Contains(arguments.RootElement.GetProperty("city").GetString(), new[] { "Paris", "Oslo" });
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, """{"temperature": 21}"""));
        ChatCompletion second = await chat.CompleteChatAsync(messages, new ChatCompletionOptions { MaxOutputTokenCount = 6, Seed = 7 });
        Assert.False(string.IsNullOrEmpty(second.Content[0].Text));

        // Microsoft.Extensions.AI: structured output into a typed record, for several seeds.
        IChatClient ai = chat.AsIChatClient();
        for (var seed = 1; seed <= 3; seed++)
        {
            var response = await ai.GetResponseAsync<Reading>("Give me a reading.", new ChatOptions { MaxOutputTokens = 200, Seed = seed });
            Assert.True(response.TryGetResult(out var reading), response.Text);
            Assert.NotNull(reading);
        }

        // Microsoft.Extensions.AI over the Responses API: text, then a function it invokes.
        IChatClient responses = new ResponsesClient(new ApiKeyCredential("unused"), new ResponsesClientOptions { Endpoint = endpoint, NetworkTimeout = TimeSpan.FromSeconds(120) }).AsIChatClient("tiny");
        var text = await responses.GetResponseAsync("Hello there", new ChatOptions { MaxOutputTokens = 6, Instructions = "Be brief." });
        Assert.False(string.IsNullOrWhiteSpace(text.Text));
        var invoked = 0;
        var forecast = AIFunctionFactory.Create((long days) => { invoked++; return $"{days} days"; }, "forecast", "Forecast");
        IChatClient withFunctions = new ChatClientBuilder(responses).UseFunctionInvocation(configure: c => c.MaximumIterationsPerRequest = 3).Build();
        var called = await withFunctions.GetResponseAsync([new AiChatMessage(AiChatRole.User, "Forecast?")],
            new ChatOptions { Tools = [forecast], ToolMode = ChatToolMode.RequireAny, MaxOutputTokens = 120 });
        Assert.True(invoked >= 1);
        Assert.Contains(called.Messages, m => m.Contents.OfType<FunctionResultContent>().Any());
    }
}
