using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// Model names defined by llama-swap sections ModelSwap ignores (selectors, profiles, peers,
/// setParamsByID). A reference to one is a warning (it works in llama-swap), not an unknown-model error.
/// </summary>
internal sealed class VirtualModelNames
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    public bool TryGet(string name, out string what) => _names.TryGetValue(name, out what!);

    public void Add(string name, string what) => _names.TryAdd(name, what);

    /// <summary>Collects names from an unsupported top-level section, if it defines any.</summary>
    public void CollectFrom(string section, YamlNode node)
    {
        if (node is not YamlMappingNode mapping)
        {
            return;
        }
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                continue;
            }
            switch (section)
            {
                case "selectors":
                    Add(name, "a selector");
                    break;
                case "profiles" when value is YamlMappingNode profile && Child(profile, "pins") is YamlMappingNode pins:
                    foreach (var pin in pins.Children.Keys.OfType<YamlScalarNode>())
                    {
                        Add(pin.Value ?? "", $"a pin of profile '{name}'");
                    }
                    break;
                case "profiles" when value is YamlSequenceNode members:
                    foreach (var member in members.Children.OfType<YamlScalarNode>())
                    {
                        Add($"{name}:{member.Value}", $"a model of profile '{name}'");
                    }
                    break;
                case "peers" when value is YamlMappingNode peer && Child(peer, "models") is YamlSequenceNode models:
                    foreach (var model in models.Children.OfType<YamlScalarNode>())
                    {
                        Add($"{name}/{model.Value}", $"a model of peer '{name}'");
                        Add(model.Value ?? "", $"a model of peer '{name}'");
                    }
                    break;
            }
        }
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
}
