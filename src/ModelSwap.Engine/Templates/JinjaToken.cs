namespace ModelSwap.Engine.Templates;

/// <summary>One token of an expression or statement; <see cref="Value"/> holds a literal's parsed value.</summary>
internal readonly record struct JinjaToken(JinjaTokenKind Kind, string Text, object? Value = null)
{
    public bool Is(string op) => Kind == JinjaTokenKind.Operator && Text == op;

    public bool IsName(string name) => Kind == JinjaTokenKind.Name && Text == name;
}
