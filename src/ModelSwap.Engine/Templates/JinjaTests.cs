namespace ModelSwap.Engine.Templates;

/// <summary>Jinja's tests (`x is defined`, `x is string`, `n is divisibleby(3)`, …).</summary>
internal static class JinjaTests
{
    public static bool Run(string name, object? value, IReadOnlyList<object?> args) => name switch
    {
        "defined" => value is not JinjaUndefined,
        "undefined" => value is JinjaUndefined,
        "none" => value is null,
        "string" => value is string,
        "number" => value is long or double,
        "integer" => value is long,
        "float" => value is double,
        "boolean" => value is bool,
        "true" => value is true,
        "false" => value is false,
        "mapping" => value is Dictionary<string, object?> or JinjaNamespace,
        "iterable" => value is string or List<object?> or Dictionary<string, object?>,
        "sequence" => value is string or List<object?> or Dictionary<string, object?>,
        "callable" => value is JinjaCallable,
        "odd" => JinjaValues.ToLong(value) % 2 != 0,
        "even" => JinjaValues.ToLong(value) % 2 == 0,
        "divisibleby" => JinjaValues.ToLong(value) % JinjaValues.ToLong(Arg(args)) == 0,
        "eq" or "equalto" or "==" => JinjaValues.AreEqual(value, Arg(args)),
        "ne" or "!=" => !JinjaValues.AreEqual(value, Arg(args)),
        "lt" or "lessthan" or "<" => JinjaValues.Compare(value, Arg(args)) < 0,
        "le" or "<=" => JinjaValues.Compare(value, Arg(args)) <= 0,
        "gt" or "greaterthan" or ">" => JinjaValues.Compare(value, Arg(args)) > 0,
        "ge" or ">=" => JinjaValues.Compare(value, Arg(args)) >= 0,
        "in" => JinjaValues.Contains(Arg(args), value),
        "sameas" => ReferenceEquals(value, Arg(args)) || (value is bool or null && Equals(value, Arg(args))),
        "lower" => value is string s && s == s.ToLowerInvariant(),
        "upper" => value is string u && u == u.ToUpperInvariant(),
        _ => throw new JinjaException($"unknown test '{name}'"),
    };

    private static object? Arg(IReadOnlyList<object?> args) =>
        args.Count > 0 ? args[0] : throw new JinjaException("this test needs an argument");
}
