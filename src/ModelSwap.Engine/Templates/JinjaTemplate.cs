namespace ModelSwap.Engine.Templates;

/// <summary>
/// A chat template compiled once and rendered per request. Our own small Jinja interpreter (the
/// subset Hugging Face chat templates use), because no maintained .NET package renders them with
/// Hugging Face's settings (trim_blocks, lstrip_blocks, its tojson, raise_exception, strftime_now).
/// </summary>
internal sealed class JinjaTemplate
{
    private readonly JinjaNode _root;

    private JinjaTemplate(JinjaNode root) => _root = root;

    /// <summary>Compiles <paramref name="source"/>; throws <see cref="JinjaException"/> naming the line on a syntax error.</summary>
    public static JinjaTemplate Parse(string source) => new(JinjaParser.Parse(source));

    /// <summary>Renders with <paramref name="variables"/> (values as <see cref="JinjaValues"/> describes) at time <paramref name="now"/>.</summary>
    public string Render(IReadOnlyDictionary<string, object?> variables, DateTimeOffset now)
    {
        var globals = new JinjaScope(null);
        JinjaGlobals.AddTo(globals);
        var scope = new JinjaScope(globals);
        foreach (var (name, value) in variables)
        {
            scope.Set(name, value);
        }
        var context = new JinjaContext(scope, now);
        try
        {
            _root(context);
        }
        catch (Exception ex) when (ex is InvalidCastException or ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            throw new JinjaException($"the template failed: {ex.Message}");
        }
        return context.Output.ToString();
    }
}
