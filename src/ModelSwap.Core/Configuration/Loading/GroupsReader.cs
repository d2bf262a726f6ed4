using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// Reads top-level <c>groups:</c>. Defaults as llama-swap: swap and exclusive on, persistent off.
/// Members must be model ids, and a model may belong to one group only.
/// </summary>
internal static class GroupsReader
{
    public static ImmutableSortedDictionary<string, GroupConfig> Read(NodeReader reader, YamlNode node, string path,
        IReadOnlyDictionary<string, string> modelIdsByName)
    {
        var groups = ImmutableSortedDictionary.CreateBuilder<string, GroupConfig>(StringComparer.Ordinal);
        if (reader.Mapping(node, path, "a mapping of group ids to group settings") is not { } mapping)
        {
            return groups.ToImmutable();
        }
        var diagnostics = reader.Diagnostics;
        var groupOfMember = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, keyNode, value, groupPath) in reader.Entries(mapping, path))
        {
            if (id == GroupConfig.DefaultGroupId)
            {
                diagnostics.Error(keyNode, groupPath, $"group id '{id}' is reserved for the models that are in no group");
                continue;
            }
            if (reader.Mapping(value, groupPath, "a mapping with swap, exclusive, persistent and members") is not { } settings)
            {
                if (NodeReader.IsNull(value))
                {
                    diagnostics.Warning(keyNode, groupPath, $"group '{id}' has no members");
                }
                continue;
            }
            var group = new GroupConfig { Id = id };
            var members = new List<string>();
            var sawMembers = false;
            foreach (var (key, settingKey, settingValue, settingPath) in reader.Entries(settings, groupPath))
            {
                if (!KnownKeys.Group.Admit(key, settingKey, settingPath, diagnostics))
                {
                    continue;
                }
                switch (key)
                {
                    case "swap":
                        group = group with { Swap = reader.Bool(settingValue, settingPath) ?? true };
                        break;
                    case "exclusive":
                        group = group with { Exclusive = reader.Bool(settingValue, settingPath) ?? true };
                        break;
                    case "persistent":
                        group = group with { Persistent = reader.Bool(settingValue, settingPath) ?? false };
                        break;
                    case "members":
                        sawMembers = true;
                        foreach (var member in reader.TextList(settingValue, settingPath, "a list of model ids"))
                        {
                            if (CheckMember(diagnostics, id, member, members, groupOfMember, modelIdsByName))
                            {
                                members.Add(member.Text);
                                groupOfMember[member.Text] = id;
                            }
                        }
                        break;
                }
            }
            if (!sawMembers || members.Count == 0)
            {
                diagnostics.Warning(keyNode, groupPath, $"group '{id}' has no members");
            }
            groups[id] = group with { Members = [.. members] };
        }
        return groups.ToImmutable();
    }

    private static bool CheckMember(DiagnosticBag diagnostics, string groupId, Scalar member, List<string> members,
        Dictionary<string, string> groupOfMember, IReadOnlyDictionary<string, string> modelIdsByName)
    {
        var name = member.Text;
        if (!modelIdsByName.TryGetValue(name, out var modelId))
        {
            var hint = Suggestions.Hint(name, modelIdsByName.Values.Distinct());
            diagnostics.Error(member.Line, member.Path, $"group '{groupId}' lists '{name}', which is not a model defined under models{hint}");
            return false;
        }
        if (modelId != name)
        {
            diagnostics.Error(member.Line, member.Path, $"group '{groupId}' lists '{name}', an alias of model '{modelId}'; list model ids in groups");
            return false;
        }
        if (members.Contains(name))
        {
            diagnostics.Warning(member.Line, member.Path, $"model '{name}' is listed twice in group '{groupId}'");
            return false;
        }
        if (groupOfMember.TryGetValue(name, out var other))
        {
            diagnostics.Error(member.Line, member.Path,
                $"model '{name}' is a member of both group '{other}' and group '{groupId}'; a model may be in only one group");
            return false;
        }
        return true;
    }
}
