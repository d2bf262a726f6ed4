namespace ModelSwap.Engine.Templates;

internal enum JinjaTokenKind
{
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}
