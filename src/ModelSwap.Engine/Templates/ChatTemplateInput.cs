namespace ModelSwap.Engine.Templates;

/// <summary>
/// What a chat template is rendered with, as template values (see <see cref="JinjaValues"/>): the
/// messages, the tools (null when the request has none, so `tools is defined` stays false),
/// add_generation_prompt, and extra variables (chat_template_kwargs such as enable_thinking).
/// </summary>
internal sealed record ChatTemplateInput(
    List<object?> Messages,
    List<object?>? Tools,
    bool AddGenerationPrompt,
    IReadOnlyDictionary<string, object?> Extra);
