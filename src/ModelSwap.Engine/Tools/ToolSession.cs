using ModelSwap.Engine.Templates;

namespace ModelSwap.Engine.Tools;

/// <summary>
/// Tools for one request: the definitions (as template values and as schemas), the choice, whether
/// calls may be parallel, and the family's format for grammar and parsing.
/// </summary>
internal sealed record ToolSession(
    IReadOnlyList<ToolDefinition> Definitions,
    List<object?> TemplateTools,
    ToolChoice Choice,
    bool Parallel,
    ToolCallFormat Format)
{
    /// <summary>Tools are offered to the model (rendered, and its output parsed).</summary>
    public bool Active => Choice.Mode != "none" && Definitions.Count > 0;
}
