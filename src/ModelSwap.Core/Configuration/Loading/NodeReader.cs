using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// Reads YAML nodes as the types config keys expect, substituting <c>${env.…}</c> first. Every
/// mismatch becomes an error with the node's line and key path; the caller gets null and moves on.
/// </summary>
internal sealed class NodeReader(DiagnosticBag diagnostics, Func<string, string?> getEnvironmentVariable)
{
    private readonly Dictionary<string, string> _usedEnvironment = new(StringComparer.Ordinal);

    public DiagnosticBag Diagnostics => diagnostics;

    /// <summary>Every <c>${env.NAME}</c> substituted so far, by name: the values to redact wherever config is shown.</summary>
    public IReadOnlyDictionary<string, string> UsedEnvironment => _usedEnvironment;

    /// <summary>A scalar's text and type, or null (with an error) when the node is a list or mapping.</summary>
    public Scalar? Scalar(YamlNode node, string path, string expected = "a single value")
    {
        if (node is not YamlScalarNode scalar)
        {
            diagnostics.Error(node, path, $"{Leaf(path)} must be {expected}, got {DescribeAt(node, path)}");
            return null;
        }
        var raw = scalar.Value ?? "";
        var missing = new List<string>();
        var text = EnvSubstitution.Substitute(raw, Lookup, missing);
        foreach (var name in missing)
        {
            diagnostics.Error(node, path, $"environment variable '{name}' is not set (used as ${{env.{name}}})");
        }
        var (type, value) = YamlScalars.Resolve(scalar, text);
        return new Scalar(type, text, value, DiagnosticBag.LineOf(node), path);
    }

    /// <summary>Text of a scalar; numbers and booleans are taken as written. Null when absent or null.</summary>
    public Scalar? Text(YamlNode node, string path)
    {
        var scalar = Scalar(node, path, "a string");
        return scalar is { Type: ScalarType.Null } ? null : scalar;
    }

    /// <summary>A whole number; null when absent, null or invalid (invalid reports an error).</summary>
    public long? Integer(YamlNode node, string path, string unit = "")
    {
        if (Scalar(node, path, "a whole number" + unit) is not { } scalar || scalar.Type == ScalarType.Null)
        {
            return null;
        }
        if (scalar.Type == ScalarType.Int)
        {
            return (long)scalar.Value!;
        }
        if (scalar.Type == ScalarType.Float && (double)scalar.Value! is var d && d == Math.Floor(d) && Math.Abs(d) < 1e15)
        {
            return (long)d;
        }
        diagnostics.Error(node, path, $"{Leaf(path)} must be a whole number{unit}, got '{scalar.Text}'");
        return null;
    }

    /// <summary>A whole number of seconds as a TimeSpan.</summary>
    public long? Seconds(YamlNode node, string path) => Integer(node, path, " of seconds");

    /// <summary>A size in bytes (<c>8GiB</c>, <c>700MiB</c>, <c>1.5GB</c>, a bare number of bytes); null when absent or invalid.</summary>
    public long? Size(YamlNode node, string path)
    {
        if (Scalar(node, path, "a size such as 8GiB") is not { } scalar || scalar.Type == ScalarType.Null)
        {
            return null;
        }
        if (ModelSwap.Core.Memory.ByteSize.Parse(scalar.Text, out var error) is not { } bytes)
        {
            diagnostics.Error(node, path, $"{Leaf(path)}: {error}");
            return null;
        }
        return bytes;
    }

    public bool? Bool(YamlNode node, string path)
    {
        if (Scalar(node, path, "true or false") is not { } scalar || scalar.Type == ScalarType.Null)
        {
            return null;
        }
        if (scalar.Type == ScalarType.Bool)
        {
            return (bool)scalar.Value!;
        }
        if (YamlScalars.LegacyBool(scalar.Text) is { } legacy && scalar.Type == ScalarType.String)
        {
            return legacy;
        }
        diagnostics.Error(node, path, $"{Leaf(path)} must be true or false, got '{scalar.Text}'");
        return null;
    }

    /// <summary>A mapping, or null: absent/null silently, anything else with an error.</summary>
    public YamlMappingNode? Mapping(YamlNode node, string path, string expected = "a mapping")
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                return mapping;
            case YamlScalarNode scalar when IsNull(scalar):
                return null;
            default:
                diagnostics.Error(node, path, $"{Leaf(path)} must be {expected}, got {DescribeAt(node, path)}");
                return null;
        }
    }

    /// <summary>A list's items with their paths; null for an explicit null, error for anything else.</summary>
    public IReadOnlyList<(YamlNode Node, string Path)>? Sequence(YamlNode node, string path, string expected = "a list")
    {
        switch (node)
        {
            case YamlSequenceNode sequence:
                return [.. sequence.Children.Select((child, i) => (child, KeyPath.Index(path, i)))];
            case YamlScalarNode scalar when IsNull(scalar):
                return null;
            default:
                diagnostics.Error(node, path, $"{Leaf(path)} must be {expected}, got {DescribeAt(node, path)}");
                return null;
        }
    }

    /// <summary>Non-null text items of a list of strings.</summary>
    public List<Scalar> TextList(YamlNode node, string path, string expected = "a list of strings")
    {
        var items = new List<Scalar>();
        foreach (var (child, childPath) in Sequence(node, path, expected) ?? [])
        {
            if (Scalar(child, childPath, "a string") is { } scalar)
            {
                if (scalar.Type == ScalarType.Null)
                {
                    diagnostics.Error(child, childPath, "empty entry");
                    continue;
                }
                items.Add(scalar);
            }
        }
        return items;
    }

    /// <summary>
    /// The entries of a mapping in file order, with YAML merge keys (<c>&lt;&lt;: *defaults</c>)
    /// applied as yaml.v3 does: explicit keys win over merged ones.
    /// </summary>
    public List<(string Key, YamlNode KeyNode, YamlNode Value, string Path)> Entries(YamlMappingNode mapping, string path)
    {
        var result = new List<(string, YamlNode, YamlNode, string)>();
        var explicitKeys = mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode keyScalar)
            {
                diagnostics.Error(keyNode, path, $"keys must be plain strings, got {Describe(keyNode)}");
                continue;
            }
            var key = keyScalar.Value ?? "";
            if (key == "<<" && keyScalar.Style == YamlDotNet.Core.ScalarStyle.Plain)
            {
                foreach (var source in MergeSources(value, path))
                {
                    foreach (var merged in Entries(source, path))
                    {
                        if (!explicitKeys.Contains(merged.Key) && seen.Add(merged.Key))
                        {
                            result.Add(merged);
                        }
                    }
                }
                continue;
            }
            if (seen.Add(key))
            {
                result.Add((key, keyNode, value, KeyPath.Child(path, key)));
            }
        }
        return result;
    }

    private IEnumerable<YamlMappingNode> MergeSources(YamlNode value, string path)
    {
        switch (value)
        {
            case YamlMappingNode single:
                return [single];
            case YamlSequenceNode list when list.Children.All(c => c is YamlMappingNode):
                return list.Children.Cast<YamlMappingNode>();
            default:
                diagnostics.Error(value, path, "a merge key (<<) must refer to a mapping or a list of mappings");
                return [];
        }
    }

    private string? Lookup(string name)
    {
        var value = getEnvironmentVariable(name);
        if (value is not null)
        {
            _usedEnvironment[name] = value;
        }
        return value;
    }

    /// <summary>
    /// Like <see cref="Describe"/>, but never shows the value under a key that holds secrets
    /// (apiKeys, env): diagnostics end up in logs.
    /// </summary>
    public static string DescribeAt(YamlNode node, string path) =>
        node is YamlScalarNode && !IsNull(node) && SecretPaths.IsSecret(path) ? "a single value" : Describe(node);

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode scalar && scalar.Style == YamlDotNet.Core.ScalarStyle.Plain
        && YamlScalars.ResolvePlain(scalar.Value ?? "").Type == ScalarType.Null;

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar when IsNull(scalar) => "nothing (null)",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => node.NodeType.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    /// <summary>The last key of a path, for messages such as "ttl must be …".</summary>
    public static string Leaf(string path)
    {
        if (path.EndsWith("\"]", StringComparison.Ordinal))
        {
            var open = path.LastIndexOf("[\"", StringComparison.Ordinal);
            return path[(open + 2)..^2];
        }
        if (path.EndsWith(']'))
        {
            return "each entry";
        }
        var dot = path.LastIndexOf('.');
        return dot < 0 ? path : path[(dot + 1)..];
    }
}
