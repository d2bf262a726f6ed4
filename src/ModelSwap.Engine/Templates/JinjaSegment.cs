namespace ModelSwap.Engine.Templates;

/// <summary>One piece of template source: literal text, an `{{ expression }}` or a `{% statement %}` (inner text only).</summary>
internal sealed record JinjaSegment(JinjaSegmentKind Kind, string Text, int Line);
