using System.Text;

namespace ModelSwap.Engine.Templates;

/// <summary>The state of one render: the current scope, where output goes, and pending loop control.</summary>
internal sealed class JinjaContext(JinjaScope globals, DateTimeOffset now)
{
    private readonly Stack<StringBuilder> _outputs = new([new StringBuilder()]);

    public JinjaScope Globals { get; } = globals;
    public JinjaScope Scope { get; set; } = globals;
    public DateTimeOffset Now { get; } = now;
    public JinjaLoopControl LoopControl { get; set; }

    /// <summary>Guards against runaway recursion in macros.</summary>
    public int Depth { get; set; }

    public StringBuilder Output => _outputs.Peek();

    /// <summary>Renders <paramref name="body"/> into a fresh buffer (macro calls, `{% set x %}` blocks) and returns the text.</summary>
    public string Capture(Action body)
    {
        _outputs.Push(new StringBuilder());
        try
        {
            body();
            return _outputs.Peek().ToString();
        }
        finally
        {
            _outputs.Pop();
        }
    }

    public object? Lookup(string name) => Scope.TryGet(name, out var value) ? value : JinjaUndefined.Instance;
}
