namespace ModelSwap.Engine.Templates;

/// <summary>
/// Compiles template statements to delegates: if/elif/else, for (with `if` filter, else, loop.*,
/// break/continue), set (name, namespace attribute, tuple, block), macro, filter blocks, do, and
/// Hugging Face's generation blocks (rendered as their content).
/// </summary>
internal sealed class JinjaParser
{
    private const int MaxMacroDepth = 200;
    private readonly List<JinjaSegment> _segments;
    private int _position;

    private JinjaParser(List<JinjaSegment> segments) => _segments = segments;

    public static JinjaNode Parse(string source)
    {
        var parser = new JinjaParser(JinjaSegmenter.Split(source));
        var body = parser.ParseBody([], out var end);
        if (end is not null)
        {
            throw new JinjaException($"line {end.Value.Line}: unexpected {{% {end.Value.Name} %}}");
        }
        return body;
    }

    private JinjaNode ParseBody(string[] endTags, out (string Name, JinjaTokenStream Tokens, int Line)? terminator)
    {
        var nodes = new List<JinjaNode>();
        terminator = null;
        while (_position < _segments.Count)
        {
            var segment = _segments[_position++];
            switch (segment.Kind)
            {
                case JinjaSegmentKind.Text:
                    var text = segment.Text;
                    nodes.Add(ctx => ctx.Output.Append(text));
                    break;
                case JinjaSegmentKind.Output:
                    var stream = Tokens(segment);
                    var expression = JinjaExpressionParser.Parse(stream);
                    stream.ExpectEnd();
                    nodes.Add(WithLine(segment.Line, ctx => ctx.Output.Append(JinjaValues.ToText(expression(ctx)))));
                    break;
                default:
                    var tokens = Tokens(segment);
                    var keyword = tokens.ExpectName();
                    if (endTags.Contains(keyword))
                    {
                        terminator = (keyword, tokens, segment.Line);
                        return Sequence(nodes);
                    }
                    nodes.Add(WithLine(segment.Line, ParseStatement(keyword, tokens, segment.Line)));
                    break;
            }
        }
        if (endTags.Length > 0)
        {
            throw new JinjaException($"unexpected end of template: expected {{% {endTags[^1]} %}}");
        }
        return Sequence(nodes);
    }

    private static JinjaTokenStream Tokens(JinjaSegment segment) => new(JinjaLexer.Tokenize(segment.Text, segment.Line), segment.Line);

    private JinjaNode ParseStatement(string keyword, JinjaTokenStream s, int line)
    {
        switch (keyword)
        {
            case "if":
                return ParseIf(s);
            case "for":
                return ParseFor(s);
            case "set":
                return ParseSet(s);
            case "macro":
                return ParseMacro(s);
            case "break":
                s.ExpectEnd();
                return ctx => ctx.LoopControl = JinjaLoopControl.Break;
            case "continue":
                s.ExpectEnd();
                return ctx => ctx.LoopControl = JinjaLoopControl.Continue;
            case "do":
                var expression = JinjaExpressionParser.Parse(s);
                s.ExpectEnd();
                return ctx => expression(ctx);
            case "generation":
                s.ExpectEnd();
                return ParseBody(["endgeneration"], out _);
            case "filter":
                var name = s.ExpectName();
                s.ExpectEnd();
                var filtered = ParseBody(["endfilter"], out _);
                return ctx => ctx.Output.Append(JinjaValues.ToText(JinjaFilters.Apply(ctx, name, ctx.Capture(() => filtered(ctx)), [], JinjaExpressionParser.EmptyKeywords)));
            default:
                throw new JinjaException($"line {line}: the '{keyword}' tag is not supported");
        }
    }

    private JinjaNode ParseIf(JinjaTokenStream s)
    {
        var branches = new List<(JinjaExpression? Condition, JinjaNode Body)>();
        JinjaExpression? condition = JinjaExpressionParser.Parse(s);
        s.ExpectEnd();
        while (true)
        {
            var body = ParseBody(["elif", "else", "endif"], out var end);
            branches.Add((condition, body));
            if (end!.Value.Name == "endif")
            {
                break;
            }
            if (end.Value.Name == "else")
            {
                end.Value.Tokens.ExpectEnd();
                branches.Add((null, ParseBody(["endif"], out _)));
                break;
            }
            condition = JinjaExpressionParser.Parse(end.Value.Tokens);
            end.Value.Tokens.ExpectEnd();
        }
        return ctx =>
        {
            foreach (var (test, body) in branches)
            {
                if (test is null || JinjaValues.Truthy(test(ctx)))
                {
                    body(ctx);
                    return;
                }
            }
        };
    }

    private JinjaNode ParseFor(JinjaTokenStream s)
    {
        var targets = new List<string> { s.ExpectName() };
        while (s.SkipIf(","))
        {
            targets.Add(s.ExpectName());
        }
        if (!s.SkipName("in"))
        {
            throw s.Error("expected 'in'");
        }
        var iterable = JinjaExpressionParser.Parse(s, withConditional: false);
        var filter = s.SkipName("if") ? JinjaExpressionParser.Parse(s, withConditional: false) : null;
        if (s.Current.IsName("recursive"))
        {
            throw s.Error("recursive loops are not supported");
        }
        s.ExpectEnd();
        var body = ParseBody(["else", "endfor"], out var end);
        var otherwise = end!.Value.Name == "else" ? ParseBody(["endfor"], out _) : null;

        return ctx =>
        {
            var outer = ctx.Scope;
            ctx.Scope = new JinjaScope(outer);
            try
            {
                var items = JinjaValues.Iterate(iterable(ctx));
                if (filter is not null)
                {
                    items = items.Where(item =>
                    {
                        Bind(ctx.Scope, targets, item);
                        return JinjaValues.Truthy(filter(ctx));
                    }).ToList();
                }
                for (var i = 0; i < items.Count; i++)
                {
                    Bind(ctx.Scope, targets, items[i]);
                    ctx.Scope.Set("loop", LoopObject(items, i));
                    body(ctx);
                    var control = ctx.LoopControl;
                    ctx.LoopControl = JinjaLoopControl.None;
                    if (control == JinjaLoopControl.Break)
                    {
                        break;
                    }
                }
                if (items.Count == 0)
                {
                    otherwise?.Invoke(ctx);
                }
            }
            finally
            {
                ctx.Scope = outer;
            }
        };
    }

    private static void Bind(JinjaScope scope, List<string> targets, object? item)
    {
        if (targets.Count == 1)
        {
            scope.Set(targets[0], item);
            return;
        }
        var values = JinjaValues.Iterate(item);
        if (values.Count != targets.Count)
        {
            throw new JinjaException($"cannot unpack {values.Count} values into {targets.Count} names");
        }
        for (var i = 0; i < targets.Count; i++)
        {
            scope.Set(targets[i], values[i]);
        }
    }

    private static Dictionary<string, object?> LoopObject(List<object?> items, int i)
    {
        var n = items.Count;
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["index"] = (long)(i + 1),
            ["index0"] = (long)i,
            ["revindex"] = (long)(n - i),
            ["revindex0"] = (long)(n - i - 1),
            ["first"] = i == 0,
            ["last"] = i == n - 1,
            ["length"] = (long)n,
            ["depth"] = 1L,
            ["depth0"] = 0L,
            ["previtem"] = i > 0 ? items[i - 1] : JinjaUndefined.Instance,
            ["nextitem"] = i < n - 1 ? items[i + 1] : JinjaUndefined.Instance,
            ["cycle"] = (JinjaCallable)((_, args, _) => args.Count == 0 ? JinjaUndefined.Instance : args[i % args.Count]),
        };
    }

    private JinjaNode ParseSet(JinjaTokenStream s)
    {
        var name = s.ExpectName();
        if (s.SkipIf("."))
        {
            var attribute = s.ExpectName();
            s.Expect("=");
            var value = JinjaExpressionParser.Parse(s);
            s.ExpectEnd();
            return ctx =>
            {
                if (ctx.Lookup(name) is not JinjaNamespace ns)
                {
                    throw new JinjaException($"cannot assign attribute '{attribute}' on '{name}': only a namespace() can be assigned to");
                }
                ns.Values[attribute] = value(ctx);
            };
        }
        var names = new List<string> { name };
        while (s.SkipIf(","))
        {
            names.Add(s.ExpectName());
        }
        if (s.AtEnd && names.Count == 1)
        {
            var block = ParseBody(["endset"], out _);
            return ctx => ctx.Scope.Set(name, ctx.Capture(() => block(ctx)));
        }
        s.Expect("=");
        var expression = JinjaExpressionParser.Parse(s);
        if (s.SkipIf(","))
        {
            // `set a = 1, 2` makes a tuple.
            var rest = new List<JinjaExpression> { expression };
            do
            {
                rest.Add(JinjaExpressionParser.Parse(s));
            }
            while (s.SkipIf(","));
            var items = rest;
            expression = ctx => items.Select(e => e(ctx)).ToList();
        }
        s.ExpectEnd();
        return ctx => Bind(ctx.Scope, names, expression(ctx));
    }

    private JinjaNode ParseMacro(JinjaTokenStream s)
    {
        var name = s.ExpectName();
        s.Expect("(");
        var parameters = new List<(string Name, JinjaExpression? Default)>();
        while (!s.SkipIf(")"))
        {
            var parameter = s.ExpectName();
            parameters.Add((parameter, s.SkipIf("=") ? JinjaExpressionParser.Parse(s) : null));
            if (!s.Current.Is(")"))
            {
                s.Expect(",");
            }
        }
        s.ExpectEnd();
        var body = ParseBody(["endmacro"], out _);

        return ctx =>
        {
            var definedIn = ctx.Scope;
            ctx.Scope.Set(name, (JinjaCallable)((call, args, kwargs) =>
            {
                var scope = new JinjaScope(definedIn);
                var saved = call.Scope;
                call.Scope = scope;
                try
                {
                    for (var i = 0; i < parameters.Count; i++)
                    {
                        var (parameter, fallback) = parameters[i];
                        scope.Set(parameter, i < args.Count ? args[i]
                            : kwargs.TryGetValue(parameter, out var named) ? named
                            : fallback is not null ? fallback(call) : JinjaUndefined.Instance);
                    }
                    scope.Set("varargs", args.Skip(parameters.Count).ToList());
                    if (++call.Depth > MaxMacroDepth)
                    {
                        throw new JinjaException($"macro '{name}' recursed more than {MaxMacroDepth} levels");
                    }
                    return call.Capture(() => body(call));
                }
                finally
                {
                    call.Depth--;
                    call.Scope = saved;
                }
            }));
        };
    }

    private static JinjaNode Sequence(List<JinjaNode> nodes) => ctx =>
    {
        foreach (var node in nodes)
        {
            node(ctx);
            if (ctx.LoopControl != JinjaLoopControl.None)
            {
                return;
            }
        }
    };

    /// <summary>Runtime errors name the template line they happened on.</summary>
    private static JinjaNode WithLine(int line, JinjaNode node) => ctx =>
    {
        try
        {
            node(ctx);
        }
        catch (JinjaException ex) when (!ex.RaisedByTemplate && !ex.Message.StartsWith("line ", StringComparison.Ordinal))
        {
            throw new JinjaException($"line {line}: {ex.Message}");
        }
    };
}
