namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// A scalar after <c>${env.…}</c> substitution and type resolution. <see cref="Value"/> is a long,
/// double, bool or string (null for <see cref="ScalarType.Null"/>).
/// </summary>
internal readonly record struct Scalar(ScalarType Type, string Text, object? Value, int Line, string Path)
{
    public MacroValue? ToMacroValue() => Type == ScalarType.Null ? null : new MacroValue(Type, Value!);
}
