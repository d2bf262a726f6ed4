namespace ModelSwap.Engine.Templates;

/// <summary>A model's own chat template, compiled, with the BOS/EOS texts it is rendered with.</summary>
internal sealed class ChatTemplate(string source, JinjaTemplate compiled, string bosToken, string eosToken)
{
    public string Source { get; } = source;

    /// <summary>Compiles a template; throws <see cref="JinjaException"/> when it uses syntax the interpreter lacks.</summary>
    public static ChatTemplate Compile(string source, string bosToken, string eosToken) =>
        new(source, JinjaTemplate.Parse(source), bosToken, eosToken);

    public string Render(ChatTemplateInput input, DateTimeOffset now)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messages"] = input.Messages,
            ["add_generation_prompt"] = input.AddGenerationPrompt,
            ["bos_token"] = bosToken,
            ["eos_token"] = eosToken,
        };
        if (input.Tools is not null)
        {
            variables["tools"] = input.Tools;
        }
        foreach (var (name, value) in input.Extra)
        {
            variables[name] = value;
        }
        return compiled.Render(variables, now);
    }
}
