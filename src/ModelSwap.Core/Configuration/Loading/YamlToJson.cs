using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// Converts metadata and setParams to JSON, keeping YAML types (1 stays a number, true a bool) and
/// expanding macros in strings: a string that is exactly <c>${name}</c> takes the macro's type.
/// </summary>
internal static class YamlToJson
{
    public static JsonObject Object(NodeReader reader, MacroScope scope, YamlMappingNode mapping, string path)
    {
        var result = new JsonObject();
        foreach (var (key, _, value, entryPath) in reader.Entries(mapping, path))
        {
            result[key] = Node(reader, scope, value, entryPath);
        }
        return result;
    }

    private static JsonNode? Node(NodeReader reader, MacroScope scope, YamlNode node, string path)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                return Object(reader, scope, mapping, path);
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    array.Add(Node(reader, scope, sequence.Children[i], KeyPath.Index(path, i)));
                }
                return array;
            default:
                if (reader.Scalar(node, path) is not { } scalar || scalar.ToMacroValue() is not { } value)
                {
                    return null;
                }
                if (value.Type != ScalarType.String)
                {
                    return value.ToJson();
                }
                var expansion = scope.Expand(value);
                scope.Report(expansion, scalar.Line, path, allowPid: false, reader.Diagnostics);
                return expansion.Value.ToJson();
        }
    }
}
