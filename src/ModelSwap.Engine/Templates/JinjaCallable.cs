namespace ModelSwap.Engine.Templates;

/// <summary>A function a template can call: a macro, a global such as range(), or a bound method such as str.split.</summary>
internal delegate object? JinjaCallable(JinjaContext context, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs);
