namespace ModelSwap.Engine.Templates;

/// <summary>
/// Compiles Jinja expressions to delegates, with Jinja's precedence: conditional, or, and, not,
/// comparisons and `in`, + -, ~, * / // %, **, unary minus, then primaries with `.attr`, `[item]`,
/// calls, `| filter` and `is test`.
/// </summary>
internal static class JinjaExpressionParser
{
    private static readonly IReadOnlyDictionary<string, object?> NoKeywords = new Dictionary<string, object?>();

    public static JinjaExpression Parse(JinjaTokenStream s, bool withConditional = true) =>
        withConditional ? ParseConditional(s) : ParseOr(s);

    private static JinjaExpression ParseConditional(JinjaTokenStream s)
    {
        var expression = ParseOr(s);
        while (s.SkipName("if"))
        {
            var condition = ParseOr(s);
            var otherwise = s.SkipName("else") ? ParseConditional(s) : null;
            var then = expression;
            expression = ctx => JinjaValues.Truthy(condition(ctx)) ? then(ctx) : otherwise is null ? JinjaUndefined.Instance : otherwise(ctx);
        }
        return expression;
    }

    private static JinjaExpression ParseOr(JinjaTokenStream s)
    {
        var left = ParseAnd(s);
        while (s.SkipName("or"))
        {
            var a = left;
            var b = ParseAnd(s);
            left = ctx => a(ctx) is var value && JinjaValues.Truthy(value) ? value : b(ctx);
        }
        return left;
    }

    private static JinjaExpression ParseAnd(JinjaTokenStream s)
    {
        var left = ParseNot(s);
        while (s.SkipName("and"))
        {
            var a = left;
            var b = ParseNot(s);
            left = ctx => a(ctx) is var value && !JinjaValues.Truthy(value) ? value : b(ctx);
        }
        return left;
    }

    private static JinjaExpression ParseNot(JinjaTokenStream s)
    {
        if (s.SkipName("not"))
        {
            var operand = ParseNot(s);
            return ctx => !JinjaValues.Truthy(operand(ctx));
        }
        return ParseCompare(s);
    }

    private static JinjaExpression ParseCompare(JinjaTokenStream s)
    {
        var first = ParseMath1(s);
        var steps = new List<(string Op, JinjaExpression Right)>();
        while (true)
        {
            var t = s.Current;
            string op;
            if (t.Kind == JinjaTokenKind.Operator && t.Text is "==" or "!=" or "<" or ">" or "<=" or ">=")
            {
                op = s.Next().Text;
            }
            else if (t.IsName("in"))
            {
                s.Next();
                op = "in";
            }
            else if (t.IsName("not") && s.Peek().IsName("in"))
            {
                s.Next();
                s.Next();
                op = "not in";
            }
            else
            {
                break;
            }
            steps.Add((op, ParseMath1(s)));
        }
        if (steps.Count == 0)
        {
            return first;
        }
        return ctx =>
        {
            var left = first(ctx);
            foreach (var (op, rightExpression) in steps)
            {
                var right = rightExpression(ctx);
                var holds = op switch
                {
                    "==" => JinjaValues.AreEqual(left, right),
                    "!=" => !JinjaValues.AreEqual(left, right),
                    "in" => JinjaValues.Contains(right, left),
                    "not in" => !JinjaValues.Contains(right, left),
                    "<" => JinjaValues.Compare(left, right) < 0,
                    ">" => JinjaValues.Compare(left, right) > 0,
                    "<=" => JinjaValues.Compare(left, right) <= 0,
                    _ => JinjaValues.Compare(left, right) >= 0,
                };
                if (!holds)
                {
                    return false;
                }
                left = right;
            }
            return true;
        };
    }

    private static JinjaExpression ParseMath1(JinjaTokenStream s)
    {
        var left = ParseConcat(s);
        while (s.Current.Is("+") || s.Current.Is("-"))
        {
            var op = s.Next().Text;
            var (a, b) = (left, ParseConcat(s));
            left = op == "+" ? ctx => JinjaValues.Add(a(ctx), b(ctx)) : ctx => JinjaValues.Arithmetic("-", a(ctx), b(ctx));
        }
        return left;
    }

    private static JinjaExpression ParseConcat(JinjaTokenStream s)
    {
        var left = ParseMath2(s);
        while (s.SkipIf("~"))
        {
            var (a, b) = (left, ParseMath2(s));
            left = ctx => JinjaValues.ToText(a(ctx)) + JinjaValues.ToText(b(ctx));
        }
        return left;
    }

    private static JinjaExpression ParseMath2(JinjaTokenStream s)
    {
        var left = ParsePow(s);
        while (s.Current.Kind == JinjaTokenKind.Operator && s.Current.Text is "*" or "/" or "//" or "%")
        {
            var op = s.Next().Text;
            var (a, b) = (left, ParsePow(s));
            left = ctx => JinjaValues.Arithmetic(op, a(ctx), b(ctx));
        }
        return left;
    }

    private static JinjaExpression ParsePow(JinjaTokenStream s)
    {
        var left = ParseUnary(s, withFilter: true);
        while (s.SkipIf("**"))
        {
            var (a, b) = (left, ParseUnary(s, withFilter: true));
            left = ctx => JinjaValues.Arithmetic("**", a(ctx), b(ctx));
        }
        return left;
    }

    private static JinjaExpression ParseUnary(JinjaTokenStream s, bool withFilter)
    {
        JinjaExpression node;
        if (s.SkipIf("-"))
        {
            var operand = ParseUnary(s, withFilter: false);
            node = ctx => operand(ctx) switch
            {
                long l => (object)(-l),
                var v => -JinjaValues.ToDouble(v),
            };
        }
        else if (s.SkipIf("+"))
        {
            node = ParseUnary(s, withFilter: false);
        }
        else
        {
            node = ParsePostfix(s, ParsePrimary(s));
        }
        return withFilter ? ParseFilters(s, node) : node;
    }

    private static JinjaExpression ParsePrimary(JinjaTokenStream s)
    {
        var token = s.Next();
        switch (token.Kind)
        {
            case JinjaTokenKind.Name:
                switch (token.Text)
                {
                    case "true" or "True":
                        return _ => true;
                    case "false" or "False":
                        return _ => false;
                    case "none" or "None":
                        return _ => null;
                }
                var name = token.Text;
                return ctx => ctx.Lookup(name);
            case JinjaTokenKind.String:
                var text = (string)token.Value!;
                while (s.Current.Kind == JinjaTokenKind.String)
                {
                    text += (string)s.Next().Value!;
                }
                return _ => text;
            case JinjaTokenKind.Integer or JinjaTokenKind.Float:
                var number = token.Value;
                return _ => number;
            case JinjaTokenKind.Operator when token.Text == "(":
                return ParseParenthesized(s);
            case JinjaTokenKind.Operator when token.Text == "[":
                var items = ParseList(s, "]");
                return ctx => items.Select(item => item(ctx)).ToList();
            case JinjaTokenKind.Operator when token.Text == "{":
                var pairs = new List<(JinjaExpression Key, JinjaExpression Value)>();
                while (!s.SkipIf("}"))
                {
                    var key = Parse(s);
                    s.Expect(":");
                    pairs.Add((key, Parse(s)));
                    if (!s.Current.Is("}"))
                    {
                        s.Expect(",");
                    }
                }
                return ctx =>
                {
                    var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var (key, value) in pairs)
                    {
                        dict[JinjaValues.ToText(key(ctx))] = value(ctx);
                    }
                    return dict;
                };
            default:
                throw new JinjaException($"line {s.Line}: unexpected '{token.Text}'");
        }
    }

    private static JinjaExpression ParseParenthesized(JinjaTokenStream s)
    {
        if (s.SkipIf(")"))
        {
            return _ => new List<object?>();
        }
        var first = Parse(s);
        if (s.SkipIf(")"))
        {
            return first;
        }
        s.Expect(",");
        var items = new List<JinjaExpression> { first };
        items.AddRange(ParseList(s, ")"));
        return ctx => items.Select(item => item(ctx)).ToList();
    }

    private static List<JinjaExpression> ParseList(JinjaTokenStream s, string close)
    {
        var items = new List<JinjaExpression>();
        while (!s.SkipIf(close))
        {
            items.Add(Parse(s));
            if (!s.Current.Is(close))
            {
                s.Expect(",");
            }
        }
        return items;
    }

    private static JinjaExpression ParsePostfix(JinjaTokenStream s, JinjaExpression node)
    {
        while (true)
        {
            if (s.SkipIf("."))
            {
                var target = node;
                if (s.Current.Kind == JinjaTokenKind.Integer)
                {
                    var index = s.Next().Value;
                    node = ctx => JinjaMembers.GetItem(target(ctx), index);
                    continue;
                }
                var name = s.ExpectName();
                node = ctx => JinjaMembers.GetAttribute(target(ctx), name);
            }
            else if (s.SkipIf("["))
            {
                node = ParseSubscript(s, node);
            }
            else if (s.SkipIf("("))
            {
                var callee = node;
                var (args, kwargs) = ParseArguments(s);
                node = ctx => Call(ctx, callee(ctx), args, kwargs, s.Line);
            }
            else
            {
                return node;
            }
        }
    }

    private static JinjaExpression ParseSubscript(JinjaTokenStream s, JinjaExpression target)
    {
        JinjaExpression? start = s.Current.Is(":") ? null : Parse(s);
        if (s.SkipIf("]"))
        {
            var key = start!;
            return ctx => JinjaMembers.GetItem(target(ctx), key(ctx));
        }
        s.Expect(":");
        JinjaExpression? stop = s.Current.Is(":") || s.Current.Is("]") ? null : Parse(s);
        JinjaExpression? step = null;
        if (s.SkipIf(":") && !s.Current.Is("]"))
        {
            step = Parse(s);
        }
        s.Expect("]");
        return ctx => JinjaMembers.Slice(target(ctx), start?.Invoke(ctx), stop?.Invoke(ctx), step?.Invoke(ctx));
    }

    private static (List<JinjaExpression> Args, List<(string Name, JinjaExpression Value)> Kwargs) ParseArguments(JinjaTokenStream s)
    {
        var args = new List<JinjaExpression>();
        var kwargs = new List<(string, JinjaExpression)>();
        while (!s.SkipIf(")"))
        {
            if (s.Current.Kind == JinjaTokenKind.Name && s.Peek().Is("="))
            {
                var name = s.Next().Text;
                s.Next();
                kwargs.Add((name, Parse(s)));
            }
            else
            {
                args.Add(Parse(s));
            }
            if (!s.Current.Is(")"))
            {
                s.Expect(",");
            }
        }
        return (args, kwargs);
    }

    private static (List<object?> Args, Dictionary<string, object?> Kwargs) Evaluate(JinjaContext ctx, List<JinjaExpression> args, List<(string Name, JinjaExpression Value)> kwargs)
    {
        var values = args.Select(a => a(ctx)).ToList();
        var named = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in kwargs)
        {
            named[name] = value(ctx);
        }
        return (values, named);
    }

    private static object? Call(JinjaContext ctx, object? callee, List<JinjaExpression> args, List<(string Name, JinjaExpression Value)> kwargs, int line)
    {
        if (callee is not JinjaCallable function)
        {
            throw new JinjaException($"line {line}: {JinjaValues.TypeName(callee)} is not callable");
        }
        var (values, named) = Evaluate(ctx, args, kwargs);
        return function(ctx, values, named);
    }

    private static JinjaExpression ParseFilters(JinjaTokenStream s, JinjaExpression node)
    {
        while (true)
        {
            if (s.SkipIf("|"))
            {
                var name = s.ExpectName();
                var (args, kwargs) = s.SkipIf("(") ? ParseArguments(s) : ([], []);
                var input = node;
                var line = s.Line;
                node = ctx =>
                {
                    var (values, named) = Evaluate(ctx, args, kwargs);
                    return JinjaFilters.Apply(ctx, name, input(ctx), values, named);
                };
            }
            else if (s.SkipName("is"))
            {
                var negate = s.SkipName("not");
                var name = s.Current.Kind == JinjaTokenKind.Name ? s.Next().Text : s.Next().Text;
                var args = new List<JinjaExpression>();
                if (s.SkipIf("("))
                {
                    args = ParseArguments(s).Args;
                }
                else if (s.Current.Kind is JinjaTokenKind.String or JinjaTokenKind.Integer or JinjaTokenKind.Float
                    || (s.Current.Kind == JinjaTokenKind.Name && s.Current.Text is not ("else" or "or" or "and" or "if" or "in" or "not" or "is")))
                {
                    args.Add(ParsePostfix(s, ParsePrimary(s)));
                }
                var input = node;
                node = ctx => JinjaTests.Run(name, input(ctx), args.Select(a => a(ctx)).ToList()) != negate;
            }
            else
            {
                return node;
            }
        }
    }

    internal static IReadOnlyDictionary<string, object?> EmptyKeywords => NoKeywords;
}
