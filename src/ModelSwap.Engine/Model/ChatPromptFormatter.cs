using System.Text;
using LLama;
using LLama.Exceptions;

namespace ModelSwap.Engine.Model;

/// <summary>
/// Turns chat messages into prompt text with the GGUF's own chat template (llama.cpp recognises the
/// common ones by pattern). A template llama.cpp does not know, or none at all, falls back to ChatML,
/// which most small instruct models understand; the choice is made once at load.
/// </summary>
internal sealed class ChatPromptFormatter
{
    private readonly LLamaWeights? _weights;

    private ChatPromptFormatter(LLamaWeights? weights) => _weights = weights;

    /// <summary>True when the model's template was not usable and ChatML is used instead.</summary>
    public bool UsesFallback => _weights is null;

    public static ChatPromptFormatter For(LLamaWeights weights)
    {
        try
        {
            // Probe once with a throwaway conversation: llama.cpp only tells whether it knows the template when applying it.
            var probe = new LLamaTemplate(weights, strict: true) { AddAssistant = true };
            probe.Add("user", "hi");
            _ = probe.Apply();
            return new ChatPromptFormatter(weights);
        }
        catch (MissingTemplateException)
        {
            return new ChatPromptFormatter(null);
        }
    }

    public string Format(IReadOnlyList<ChatMessage> messages)
    {
        var template = _weights is null ? new LLamaTemplate("chatml") : new LLamaTemplate(_weights, strict: true);
        template.AddAssistant = true;
        foreach (var message in messages)
            template.Add(message.Role, message.Content);
        return Encoding.UTF8.GetString(template.Apply());
    }
}
