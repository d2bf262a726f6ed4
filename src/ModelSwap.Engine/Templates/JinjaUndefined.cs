namespace ModelSwap.Engine.Templates;

/// <summary>Jinja's undefined value: prints as nothing, is false, iterates as empty, and `is defined` is false.</summary>
internal sealed class JinjaUndefined
{
    public static readonly JinjaUndefined Instance = new();

    private JinjaUndefined()
    {
    }

    public override string ToString() => "";
}
