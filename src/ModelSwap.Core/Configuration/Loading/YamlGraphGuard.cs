using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// YAML aliases turn the document into a graph: an alias inside its own anchor makes a cycle, and
/// nested aliases can multiply ("billion laughs"). Both are rejected before anything walks the tree.
/// </summary>
internal static class YamlGraphGuard
{
    private const int MaxNodes = 200_000;
    private const int MaxDepth = 64;

    public static bool IsSafe(YamlNode root, DiagnosticBag diagnostics)
    {
        var onPath = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var visited = 0;
        return Walk(root, 0);

        bool Walk(YamlNode node, int depth)
        {
            if (++visited > MaxNodes)
            {
                diagnostics.Error(node, "", $"invalid YAML: aliases expand to more than {MaxNodes} values");
                return false;
            }
            if (depth > MaxDepth)
            {
                diagnostics.Error(node, "", $"invalid YAML: values are nested more than {MaxDepth} levels deep");
                return false;
            }
            if (!onPath.Add(node))
            {
                diagnostics.Error(node, "", "invalid YAML: an alias refers to a value that contains the alias itself");
                return false;
            }
            IEnumerable<YamlNode> children = node switch
            {
                YamlMappingNode mapping => mapping.Children.SelectMany(entry => new[] { entry.Key, entry.Value }),
                YamlSequenceNode sequence => sequence.Children,
                _ => [],
            };
            foreach (var child in children)
            {
                if (!Walk(child, depth + 1))
                {
                    return false;
                }
            }
            onPath.Remove(node);
            return true;
        }
    }
}
