namespace ModelSwap.Engine.Templates;

/// <summary>A compiled statement: writes to the context's current output.</summary>
internal delegate void JinjaNode(JinjaContext context);

/// <summary>A compiled expression.</summary>
internal delegate object? JinjaExpression(JinjaContext context);
