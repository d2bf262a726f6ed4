using System.Text;
using LLama;
using LLama.Exceptions;
using ModelSwap.Engine.Templates;

namespace ModelSwap.Engine.Model;

/// <summary>
/// Turns a conversation into prompt text. First choice: the GGUF's own Jinja chat template, rendered
/// by our interpreter the way Hugging Face renders it (as llama-server --jinja does). If the model
/// has none, or ours cannot run it, llama.cpp's built-in template for a recognised family; else ChatML.
/// The choice is made once at load and logged.
/// </summary>
internal sealed class ChatPromptFormatter
{
    private readonly ChatTemplate? _jinja;
    private readonly LLamaWeights? _builtin;
    private readonly TimeProvider _time;

    private ChatPromptFormatter(ChatTemplate? jinja, LLamaWeights? builtin, TimeProvider time, string? fallbackReason)
    {
        _jinja = jinja;
        _builtin = builtin;
        _time = time;
        FallbackReason = fallbackReason;
    }

    /// <summary>Why the model's own template is not used (null when it is).</summary>
    public string? FallbackReason { get; }

    /// <summary>The model's own template is used: tools and tool results are rendered as the model was trained.</summary>
    public bool UsesModelTemplate => _jinja is not null;

    /// <summary>The template text in use, for tool-call format detection; empty for ChatML.</summary>
    public string TemplateSource => _jinja?.Source ?? "";

    public static ChatPromptFormatter For(LLamaWeights weights, TimeProvider time)
    {
        var source = weights.Metadata.GetValueOrDefault("tokenizer.chat_template");
        string reason;
        if (string.IsNullOrWhiteSpace(source))
        {
            reason = "the model has no chat template";
        }
        else
        {
            try
            {
                var vocab = weights.Vocab;
                var template = ChatTemplate.Compile(source, vocab.LLamaTokenToString(vocab.BOS, true) ?? "", vocab.LLamaTokenToString(vocab.EOS, true) ?? "");
                // Probe once with a plain exchange: templates fail on what our interpreter lacks only when run.
                _ = template.Render(new ChatTemplateInput([Message("user", "hi")], null, true, new Dictionary<string, object?>()), time.GetUtcNow());
                return new ChatPromptFormatter(template, null, time, null);
            }
            catch (JinjaException ex)
            {
                reason = $"the model's chat template could not be run ({ex.Message})";
            }
        }

        try
        {
            var probe = new LLamaTemplate(weights, strict: true) { AddAssistant = true };
            probe.Add("user", "hi");
            _ = probe.Apply();
            return new ChatPromptFormatter(null, weights, time, reason + "; using llama.cpp's built-in template for this model family");
        }
        catch (Exception ex) when (ex is MissingTemplateException or TemplateNotFoundException)
        {
            return new ChatPromptFormatter(null, null, time, reason + "; using ChatML");
        }
    }

    public string Format(ChatTemplateInput input)
    {
        if (_jinja is not null)
        {
            try
            {
                return _jinja.Render(input, _time.GetUtcNow());
            }
            catch (JinjaException ex) when (!ex.RaisedByTemplate && HasObjectArguments(input.Messages))
            {
                // Some templates (DeepSeek R1) concatenate tool-call arguments as text: give them the JSON string.
                return _jinja.Render(input with { Messages = WithStringArguments(input.Messages) }, _time.GetUtcNow());
            }
        }
        var template = _builtin is null ? new LLamaTemplate("chatml") : new LLamaTemplate(_builtin, strict: true);
        template.AddAssistant = input.AddGenerationPrompt;
        foreach (var message in input.Messages.Cast<Dictionary<string, object?>>())
        {
            template.Add(JinjaValues.ToText(message["role"]), PlainContent(message));
        }
        return Encoding.UTF8.GetString(template.Apply());
    }

    /// <summary>Without the model's template, tool calls and tools are written as text the model can still read.</summary>
    private static string PlainContent(Dictionary<string, object?> message)
    {
        var text = message.GetValueOrDefault("content") is string s ? s : "";
        if (message.GetValueOrDefault("tool_calls") is List<object?> calls)
        {
            foreach (var call in calls.OfType<Dictionary<string, object?>>())
            {
                text += (text.Length > 0 ? "\n" : "") + "<tool_call>\n" + JinjaJson.Dumps(call.GetValueOrDefault("function")) + "\n</tool_call>";
            }
        }
        return text;
    }

    public static Dictionary<string, object?> Message(string role, string content) =>
        new(StringComparer.Ordinal) { ["role"] = role, ["content"] = content };

    private static bool HasObjectArguments(List<object?> messages) =>
        messages.OfType<Dictionary<string, object?>>().Any(m => m.GetValueOrDefault("tool_calls") is List<object?> { Count: > 0 });

    private static List<object?> WithStringArguments(List<object?> messages) => messages.Select(m =>
    {
        if (m is not Dictionary<string, object?> message || message.GetValueOrDefault("tool_calls") is not List<object?> calls)
        {
            return m;
        }
        var copy = new Dictionary<string, object?>(message, StringComparer.Ordinal)
        {
            ["tool_calls"] = calls.Select(c =>
            {
                if (c is not Dictionary<string, object?> call || call.GetValueOrDefault("function") is not Dictionary<string, object?> function)
                {
                    return c;
                }
                var f = new Dictionary<string, object?>(function, StringComparer.Ordinal)
                {
                    ["arguments"] = function.GetValueOrDefault("arguments") is string s ? s : JinjaJson.Dumps(function.GetValueOrDefault("arguments")),
                };
                return (object?)new Dictionary<string, object?>(call, StringComparer.Ordinal) { ["function"] = f };
            }).ToList(),
        };
        return copy;
    }).ToList();
}
