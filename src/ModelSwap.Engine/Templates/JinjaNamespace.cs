namespace ModelSwap.Engine.Templates;

/// <summary>`namespace(...)`: the one object whose attributes a template may assign, across loop scopes.</summary>
internal sealed class JinjaNamespace
{
    public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);
}
