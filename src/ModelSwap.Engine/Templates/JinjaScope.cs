namespace ModelSwap.Engine.Templates;

/// <summary>
/// Variables of one scope. Loops and macros open a child scope: `set` inside them stays inside, as in
/// Jinja (which is why templates use namespace() to carry values out of a loop).
/// </summary>
internal sealed class JinjaScope(JinjaScope? parent)
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public JinjaScope? Parent { get; } = parent;

    public bool TryGet(string name, out object? value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._values.TryGetValue(name, out value))
            {
                return true;
            }
        }
        value = null;
        return false;
    }

    public void Set(string name, object? value) => _values[name] = value;
}
