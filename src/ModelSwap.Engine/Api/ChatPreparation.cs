using LLama.Native;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Templates;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>
/// From a conversation (template values) and the offered tools to prompt tokens, shared by chat
/// completions, the Responses API and Anthropic's Messages API.
/// </summary>
internal static class ChatPreparation
{
    public static (LLamaToken[] Prompt, ToolSession? Tools) Prepare(ReadyModel ready, List<object?> messages, ToolSession? tools, IReadOnlyDictionary<string, object?> kwargs)
    {
        var formatter = ready.Model.ChatFormatter;
        List<object?>? templateTools = null;
        if (tools is { Active: true })
        {
            if (formatter.UsesModelTemplate && ToolCallFormats.TemplateRendersTools(formatter.TemplateSource))
            {
                templateTools = tools.TemplateTools;
            }
            else
            {
                // The template cannot show tools: describe them in the system message and use the Hermes syntax.
                tools = tools with { Format = ToolCallFormat.Hermes };
                messages = ToolRequestParser.WithToolsInSystemMessage(messages, tools);
            }
        }
        var input = new ChatTemplateInput(messages, templateTools, AddGenerationPrompt: true, kwargs);
        return (ready.Model.TokenizePrompt(GenerationEndpoints.FormatPrompt(ready, input)), tools);
    }
}
