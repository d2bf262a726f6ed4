namespace ModelSwap.Engine.Templates;

/// <summary>A pending `{% break %}` or `{% continue %}` (loopcontrols), checked after each statement.</summary>
internal enum JinjaLoopControl
{
    None,
    Break,
    Continue,
}
