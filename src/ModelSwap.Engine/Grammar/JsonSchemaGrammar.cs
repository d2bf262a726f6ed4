using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ModelSwap.Engine.Grammar;

/// <summary>
/// Converts JSON Schema to a GBNF grammar for llama.cpp's constrained sampling: objects (properties
/// in schema order, required ones mandatory), arrays with min/max items, enum, const, anyOf/oneOf,
/// type lists, nullable, string lengths, patterns and formats (date, time, date-time, uuid, email,
/// uri), integer and number ranges with whole-number bounds, and $ref into $defs/definitions. Anything it cannot enforce throws
/// <see cref="SchemaNotSupportedException"/> naming the keyword, never ignored. Written here because
/// no .NET package does this; the approach follows llama.cpp's json-schema-to-grammar.
/// </summary>
internal sealed class JsonSchemaGrammar
{
    private static readonly HashSet<string> Annotations =
    [
        "title", "description", "default", "examples", "$schema", "$id", "$comment", "deprecated", "readOnly", "writeOnly",
        "$defs", "definitions", "strict", "additionalProperties", "format", "nullable", "type", "properties", "required",
        "items", "minItems", "maxItems", "enum", "const", "anyOf", "oneOf", "allOf", "$ref", "minLength", "maxLength",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "contentMediaType", "name", "pattern",
    ];

    private readonly StringBuilder _rules = new();
    private readonly Dictionary<string, string> _refRules = new(StringComparer.Ordinal);
    private JsonElement _root;
    private string _scope = "";
    private int _counter;

    private JsonSchemaGrammar(JsonElement root) => _root = root;

    /// <summary>A whole grammar whose root is one value matching <paramref name="schema"/>.</summary>
    public static string ForSchema(JsonElement schema)
    {
        var grammar = new JsonSchemaGrammar(schema);
        var rule = grammar.Visit(schema, "root-value", "schema");
        return grammar.Build($"root ::= {rule}");
    }

    /// <summary>Starts a grammar that several schemas share (tool arguments); add rules, then <see cref="Build"/>.</summary>
    public static JsonSchemaGrammar Create() => new(default);

    /// <summary>Adds the rules for one schema (its own root for $ref) and returns its rule name.</summary>
    public string Add(JsonElement schema, string name, string where)
    {
        _root = schema;
        _scope = name;
        return Visit(schema, name, where);
    }

    public string Build(string rootRule) => rootRule + "\n" + _rules + JsonGrammarPrimitives.Rules + "\n";

    private string Define(string name, string body)
    {
        var rule = $"{Sanitize(name)}-{_counter++}";
        _rules.Append(rule).Append(" ::= ").Append(body).Append('\n');
        return rule;
    }

    private static string Sanitize(string name)
    {
        var clean = new StringBuilder();
        foreach (var c in name)
        {
            clean.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }
        return clean.Length == 0 ? "r" : clean.ToString();
    }

    private string Visit(JsonElement schema, string name, string where)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return "json-value";
        }
        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw new SchemaNotSupportedException($"{where}: a schema must be an object or true, not {schema.ValueKind.ToString().ToLowerInvariant()}");
        }
        foreach (var property in schema.EnumerateObject())
        {
            if (!Annotations.Contains(property.Name))
            {
                throw new SchemaNotSupportedException($"{where}: the JSON Schema keyword '{property.Name}' is not supported for structured output");
            }
        }

        var rule = VisitType(schema, name, where);
        if (schema.TryGetProperty("nullable", out var nullable) && nullable.ValueKind == JsonValueKind.True)
        {
            rule = Define(name, $"{rule} | json-null");
        }
        return rule;
    }

    private string VisitType(JsonElement schema, string name, string where)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return Reference(reference.GetString() ?? "", where);
        }
        if (schema.TryGetProperty("const", out var constant))
        {
            return Define(name, JsonGrammarPrimitives.Literal(constant.GetRawText()));
        }
        if (schema.TryGetProperty("enum", out var values))
        {
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
            {
                throw new SchemaNotSupportedException($"{where}.enum: must be a non-empty array");
            }
            return Define(name, string.Join(" | ", values.EnumerateArray().Select(v => JsonGrammarPrimitives.Literal(JsonSerializer.Serialize(v)))));
        }
        foreach (var keyword in new[] { "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(keyword, out var options))
            {
                var alternatives = options.EnumerateArray().Select((option, i) => Visit(option, $"{name}-{i}", $"{where}.{keyword}[{i}]")).ToList();
                return Define(name, string.Join(" | ", alternatives));
            }
        }
        if (schema.TryGetProperty("allOf", out var all))
        {
            if (all.GetArrayLength() != 1)
            {
                throw new SchemaNotSupportedException($"{where}: 'allOf' with more than one schema is not supported for structured output");
            }
            return Visit(all[0], name, $"{where}.allOf[0]");
        }

        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? ObjectRule(schema, name, where) : "json-value";
        }
        if (type.ValueKind == JsonValueKind.Array)
        {
            var alternatives = type.EnumerateArray().Select(t => TypeRule(t.GetString() ?? "", schema, name, where)).ToList();
            return Define(name, string.Join(" | ", alternatives));
        }
        return TypeRule(type.GetString() ?? "", schema, name, where);
    }

    private string TypeRule(string type, JsonElement schema, string name, string where) => type switch
    {
        "object" => ObjectRule(schema, name, where),
        "array" => ArrayRule(schema, name, where),
        "string" => StringRule(schema, name, where),
        "integer" => IntegerRule(schema, name, where),
        "number" => NumberRule(schema, name, where),
        "boolean" => "json-boolean",
        "null" => "json-null",
        _ => throw new SchemaNotSupportedException($"{where}.type: unknown type '{type}'"),
    };

    private string Reference(string reference, string where)
    {
        var key = _scope + reference;
        if (_refRules.TryGetValue(key, out var existing))
        {
            return existing;
        }
        var parts = reference.Split('/');
        if (parts.Length != 3 || parts[0] != "#" || parts[1] is not ("$defs" or "definitions")
            || !_root.TryGetProperty(parts[1], out var defs) || !defs.TryGetProperty(parts[2], out var target))
        {
            throw new SchemaNotSupportedException($"{where}.$ref: '{reference}' does not point into this schema's $defs");
        }
        // Reserve the name first so recursive references resolve to the same rule.
        var rule = $"ref-{Sanitize(_scope)}-{Sanitize(parts[2])}";
        _refRules[key] = rule;
        var body = Visit(target, parts[2], reference);
        _rules.Append(rule).Append(" ::= ").Append(body).Append('\n');
        return rule;
    }

    private string ObjectRule(JsonElement schema, string name, string where)
    {
        if (!schema.TryGetProperty("properties", out var properties) || properties.EnumerateObject().All(_ => false))
        {
            if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object)
            {
                var value = Visit(additional, name + "-value", where + ".additionalProperties");
                return Define(name, $"\"{{\" ws ( json-string ws \":\" ws {value} ( ws \",\" ws json-string ws \":\" ws {value} )* )? ws \"}}\"");
            }
            if (schema.TryGetProperty("additionalProperties", out var closed) && closed.ValueKind == JsonValueKind.False)
            {
                return Define(name, "\"{\" ws \"}\"");
            }
            return "json-object";
        }
        var required = schema.TryGetProperty("required", out var req) && req.ValueKind == JsonValueKind.Array
            ? req.EnumerateArray().Select(r => r.GetString() ?? "").ToHashSet(StringComparer.Ordinal)
            : [];
        var mandatory = new List<string>();
        var optional = new List<string>();
        foreach (var property in properties.EnumerateObject())
        {
            var value = Visit(property.Value, $"{name}-{property.Name}", $"{where}.properties.{property.Name}");
            var pair = $"{JsonGrammarPrimitives.Literal(JsonSerializer.Serialize(property.Name))} ws \":\" ws {value}";
            (required.Contains(property.Name) ? mandatory : optional).Add(pair);
        }
        foreach (var missing in required.Where(r => !properties.TryGetProperty(r, out _)))
        {
            throw new SchemaNotSupportedException($"{where}.required: '{missing}' is required but has no entry in 'properties'");
        }

        string body;
        if (mandatory.Count > 0)
        {
            body = string.Join(" ws \",\" ws ", mandatory) + string.Concat(optional.Select(o => $" ( ws \",\" ws {o} )?"));
        }
        else
        {
            // No required property: the first one present starts the list; later ones follow with commas.
            var starts = optional.Select((o, i) => o + string.Concat(optional.Skip(i + 1).Select(next => $" ( ws \",\" ws {next} )?")));
            body = "( " + string.Join(" | ", starts.Select(s => $"( {s} )")) + " )?";
        }
        return Define(name, $"\"{{\" ws {body} ws \"}}\"");
    }

    private string ArrayRule(JsonElement schema, string name, string where)
    {
        var item = schema.TryGetProperty("items", out var items) ? Visit(items, name + "-item", where + ".items") : "json-value";
        var min = Count(schema, "minItems", where) ?? 0;
        var max = Count(schema, "maxItems", where);
        if (max < min)
        {
            throw new SchemaNotSupportedException($"{where}: maxItems {max} is below minItems {min}");
        }
        string list;
        if (max == 0)
        {
            list = "";
        }
        else
        {
            var more = max is { } m ? $"( ws \",\" ws {item} ){{{Math.Max(0, min - 1)},{m - 1}}}" : min > 1 ? $"( ws \",\" ws {item} ){{{min - 1},}}" : $"( ws \",\" ws {item} )*";
            list = min == 0 ? $"( {item} {more} )?" : $"{item} {more}";
        }
        return Define(name, $"\"[\" ws {list} ws \"]\"");
    }

    private string StringRule(JsonElement schema, string name, string where)
    {
        if (schema.TryGetProperty("pattern", out var pattern))
        {
            if (pattern.ValueKind != JsonValueKind.String)
                throw new SchemaNotSupportedException($"{where}.pattern: must be a string");
            // With a pattern, 'format' is left to it: format is an annotation in JSON Schema 2020-12, and
            // the pattern (zod writes one beside every format) is what the client validates against.
            foreach (var other in new[] { "minLength", "maxLength" })
            {
                if (schema.TryGetProperty(other, out _))
                    throw new SchemaNotSupportedException($"{where}: 'pattern' together with '{other}' is not supported for structured output");
            }
            return Define(name, $"\"\\\"\" ( {RegexGrammar.Expression(pattern.GetString()!, where + ".pattern")} ) \"\\\"\"");
        }
        if (schema.TryGetProperty("format", out var format))
        {
            return format.GetString() switch
            {
                "date" => Define(name, "\"\\\"\" json-date \"\\\"\""),
                "time" => Define(name, "\"\\\"\" json-time \"\\\"\""),
                "date-time" => Define(name, "\"\\\"\" json-date \"T\" json-time \"\\\"\""),
                "uuid" => "json-uuid",
                "email" => "json-email",
                "uri" => "json-uri",
                var other => throw new SchemaNotSupportedException($"{where}.format: the string format '{other}' is not supported for structured output"),
            };
        }
        var min = Count(schema, "minLength", where);
        var max = Count(schema, "maxLength", where);
        if (min is null && max is null)
        {
            return "json-string";
        }
        return Define(name, $"\"\\\"\" json-char{{{min ?? 0},{(max is { } m ? m.ToString(CultureInfo.InvariantCulture) : "")}}} \"\\\"\"");
    }

    private string IntegerRule(JsonElement schema, string name, string where)
    {
        var min = Tighter(Bound(schema, "minimum", where), Bound(schema, "exclusiveMinimum", where) + 1, Math.Max);
        var max = Tighter(Bound(schema, "maximum", where), Bound(schema, "exclusiveMaximum", where) - 1, Math.Min);
        if (min is null && max is null)
        {
            return "json-integer";
        }
        var low = min ?? -NumericRangeGrammar.Cap;
        var high = max ?? NumericRangeGrammar.Cap;
        if (high < low)
        {
            throw new SchemaNotSupportedException($"{where}: no integer lies between the minimum {low} and the maximum {high}");
        }
        return Define(name, NumericRangeGrammar.Integer(low, high));
    }

    private static long? Tighter(long? a, long? b, Func<long, long, long> pick) => a is { } x && b is { } y ? pick(x, y) : a ?? b;

    /// <summary>Whole-number bounds are enforced (zod's min/max/positive on a number); fractional ones are refused.</summary>
    private string NumberRule(JsonElement schema, string name, string where)
    {
        var minimum = Bound(schema, "minimum", where);
        var exclusiveMinimum = Bound(schema, "exclusiveMinimum", where);
        var maximum = Bound(schema, "maximum", where);
        var exclusiveMaximum = Bound(schema, "exclusiveMaximum", where);
        if (minimum is null && exclusiveMinimum is null && maximum is null && exclusiveMaximum is null)
        {
            return "json-number";
        }
        // Both forms of a bound: the tighter one holds.
        var (low, lowExclusive) = exclusiveMinimum is { } el && (minimum is null || el >= minimum) ? (el, true) : (minimum, false);
        var (high, highExclusive) = exclusiveMaximum is { } eh && (maximum is null || eh <= maximum) ? (eh, true) : (maximum, false);
        var rule = NumericRangeGrammar.Number(low, lowExclusive, high, highExclusive)
            ?? throw new SchemaNotSupportedException($"{where}: no number satisfies its minimum and maximum");
        return Define(name, rule);
    }

    private static int? Count(JsonElement schema, string keyword, string where)
    {
        if (!schema.TryGetProperty(keyword, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var count) || count < 0 || count > 10_000)
        {
            throw new SchemaNotSupportedException($"{where}.{keyword}: must be an integer from 0 to 10000");
        }
        return count;
    }

    /// <summary>A whole-number bound (any size: ranges are pulled in to 15 digits when written).</summary>
    private static long? Bound(JsonElement schema, string keyword, string where)
    {
        if (!schema.TryGetProperty(keyword, out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var whole))
        {
            return whole;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || number != Math.Floor(number) || Math.Abs(number) > 9e18)
        {
            throw new SchemaNotSupportedException($"{where}.{keyword}: only whole-number bounds are supported for structured output, not {value.GetRawText()}");
        }
        return (long)number;
    }
}
