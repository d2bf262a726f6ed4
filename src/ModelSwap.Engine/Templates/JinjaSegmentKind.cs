namespace ModelSwap.Engine.Templates;

internal enum JinjaSegmentKind
{
    Text,
    Output,
    Statement,
}
