using Microsoft.AspNetCore.Http;
using System.Text.Json;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Templates;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>`POST /v1/chat/completions` and `POST /v1/completions`.</summary>
internal static class GenerationEndpoints
{
    public static async Task ChatCompletionsAsync(HttpContext context, EngineState state, ReadyModel ready)
    {
        using var body = await JsonBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        var messages = ChatRequestParser.ParseMessages(body.RootElement);
        var options = GenerationOptionsParser.Parse(body.RootElement);
        var (prompt, media, tools) = await ChatPreparation.PrepareAsync(context, ready, messages, ToolRequestParser.Parse(body.RootElement, ready.Model.ChatFormatter.TemplateSource), ChatTemplateKwargs(body.RootElement)).ConfigureAwait(false);
        // OpenAI refuses a chat reply of no tokens (legacy completions allow it, to score prompts).
        if (options.MaxTokens == 0)
            throw ApiException.BadRequest("Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.", "max_tokens", "integer_below_min_value");
        if (options.Choices > 1)
        {
            if (tools is { Active: true })
                throw ApiException.BadRequest("'n' must be 1 when tools are offered.", "n");
            await GenerationResponder.RespondManyAsync(context, state, ready, chat: true, [(prompt, media)], options).ConfigureAwait(false);
            return;
        }
        await GenerationResponder.RespondAsync(context, state, ready, chat: true, prompt, options, tools, media).ConfigureAwait(false);
    }

    public static async Task CompletionsAsync(HttpContext context, EngineState state, ReadyModel ready)
    {
        using var body = await JsonBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        var prompts = CompletionPrompt.Tokenize(body.RootElement, ready.Model);
        var options = GenerationOptionsParser.Parse(body.RootElement);
        if (prompts.Count == 1 && options.Choices == 1)
            await GenerationResponder.RespondAsync(context, state, ready, chat: false, prompts[0], options).ConfigureAwait(false);
        else
            await GenerationResponder.RespondManyAsync(context, state, ready, chat: false, [.. prompts.Select(p => (p, (PromptMedia?)null))], options).ConfigureAwait(false);
    }

    /// <summary>llama-server's `chat_template_kwargs` (e.g. {"enable_thinking": false}): extra template variables.</summary>
    private static IReadOnlyDictionary<string, object?> ChatTemplateKwargs(JsonElement body)
    {
        if (!JsonFields.TryGet(body, "chat_template_kwargs", out var kwargs))
            return new Dictionary<string, object?>();
        if (kwargs.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest($"'chat_template_kwargs' must be an object, not {JsonFields.Describe(kwargs.ValueKind)}.", "chat_template_kwargs");
        return (Dictionary<string, object?>)JinjaJson.FromJson(kwargs)!;
    }

    /// <summary>The template's own raise_exception (roles must alternate, …) is the client's mistake: a 400 with its words.</summary>
    public static string FormatPrompt(ReadyModel ready, ChatTemplateInput input)
    {
        try
        {
            return ready.Model.ChatFormatter.Format(input);
        }
        catch (JinjaException ex)
        {
            throw ApiException.BadRequest(ex.RaisedByTemplate
                ? $"The model's chat template refused the conversation: {ex.Message}"
                : $"The model's chat template failed on this conversation: {ex.Message}", "messages", "chat_template_error");
        }
    }
}
