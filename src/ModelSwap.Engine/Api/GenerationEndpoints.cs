using Microsoft.AspNetCore.Http;
using ModelSwap.Engine.Hosting;

namespace ModelSwap.Engine.Api;

/// <summary>`POST /v1/chat/completions` and `POST /v1/completions`.</summary>
internal static class GenerationEndpoints
{
    public static async Task ChatCompletionsAsync(HttpContext context, EngineState state, ReadyModel ready)
    {
        using var body = await JsonBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        var messages = ChatRequestParser.ParseMessages(body.RootElement);
        var options = GenerationOptionsParser.Parse(body.RootElement);
        var prompt = ready.Model.TokenizePrompt(ready.Model.ChatFormatter.Format(messages));
        await GenerationResponder.RespondAsync(context, state, ready, chat: true, prompt, options).ConfigureAwait(false);
    }

    public static async Task CompletionsAsync(HttpContext context, EngineState state, ReadyModel ready)
    {
        using var body = await JsonBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        var prompt = CompletionPrompt.Tokenize(body.RootElement, ready.Model);
        var options = GenerationOptionsParser.Parse(body.RootElement);
        await GenerationResponder.RespondAsync(context, state, ready, chat: false, prompt, options).ConfigureAwait(false);
    }
}
