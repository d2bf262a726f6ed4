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

    private ChatPromptFormatter(LLamaWeights? weights, string? fallbackReason)
    {
        _weights = weights;
        FallbackReason = fallbackReason;
    }

    /// <summary>Why ChatML is used instead of the model's template; null when the model's own is used.</summary>
    public string? FallbackReason { get; }

    public static ChatPromptFormatter For(LLamaWeights weights)
    {
        try
        {
            // Probe once with a throwaway conversation: llama.cpp only tells whether it knows the template when applying it.
            var probe = new LLamaTemplate(weights, strict: true) { AddAssistant = true };
            probe.Add("user", "hi");
            _ = probe.Apply();
            return new ChatPromptFormatter(weights, null);
        }
        catch (MissingTemplateException)
        {
            return new ChatPromptFormatter(null, "the model's chat template is not one llama.cpp recognises");
        }
        catch (TemplateNotFoundException)
        {
            return new ChatPromptFormatter(null, "the model has no chat template");
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
