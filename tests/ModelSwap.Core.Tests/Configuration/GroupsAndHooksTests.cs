using ModelSwap.Core.Configuration;
using static ModelSwap.Core.Tests.Configuration.ConfigTestLoader;

namespace ModelSwap.Core.Tests.Configuration;

public sealed class GroupsAndHooksTests
{
    private const string Models = """
        models:
          a:
            cmd: s --port ${PORT}
            aliases: [alias-a]
          b:
            cmd: s --port ${PORT}
          c:
            cmd: s --port ${PORT}
          d:
            cmd: s --port ${PORT}
        """;

    [Fact]
    public void Groups_are_read_with_llama_swap_defaults()
    {
        var config = Valid(Models + """

            groups:
              together:
                swap: false
                exclusive: false
                members: [a, b]
              forever:
                persistent: true
                members: [c]
              plain:
                members: []
            """);
        Assert.Equal(["forever", "plain", "together"], config.Groups.Keys);
        var together = config.Groups["together"];
        Assert.Equal((false, false, false), (together.Swap, together.Exclusive, together.Persistent));
        Assert.Equal<string>(["a", "b"], together.Members);
        var forever = config.Groups["forever"];
        Assert.Equal((true, true, true), (forever.Swap, forever.Exclusive, forever.Persistent));
        Assert.Same(together, config.GroupOf("b"));
        Assert.Equal(GroupConfig.DefaultGroupId, config.GroupOf("d").Id);
        Assert.Equal<string>(["d"], config.GroupOf("d").Members);
    }

    [Fact]
    public void Group_membership_errors_name_the_groups_and_models()
    {
        var result = Load(Models + """

            groups:
              g1:
                members: [a, b, b]
              g2:
                members: [a, ghost, alias-a, c]
                swapp: false
              "(default)":
                members: [d]
            """);
        var both = Error(result, "model 'a' is a member of both group 'g1' and group 'g2'; a model may be in only one group");
        Assert.Equal("groups.g2.members[0]", both.KeyPath);
        Assert.Equal("groups.g2.members[1]", Error(result, "group 'g2' lists 'ghost', which is not a model defined under models").KeyPath);
        Error(result, "group 'g2' lists 'alias-a', an alias of model 'a'; list model ids in groups");
        Error(result, "group id '(default)' is reserved");
        Assert.Equal("groups.g1.members[2]", Warning(result, "model 'b' is listed twice in group 'g1'").KeyPath);
        Warning(result, "unknown key 'swapp' is ignored; did you mean 'swap'?");
    }

    [Fact]
    public void Group_shape_errors()
    {
        Error(Models + "\ngroups: [a]\n", "groups must be a mapping of group ids to group settings, got a list");
        Error(Models + "\ngroups:\n  g:\n    members: a\n", "members must be a list of model ids, got 'a'");
        Error(Models + "\ngroups:\n  g:\n    swap: sometimes\n    members: [a]\n", "swap must be true or false, got 'sometimes'");
        var result = Load(Models + "\ngroups:\n  g:\n    exclusive: false\n");
        Assert.True(result.IsValid);
        Warning(result, "group 'g' has no members");
    }

    [Fact]
    public void Preload_accepts_ids_and_aliases_and_drops_duplicates()
    {
        var config = Valid(Models + """

            hooks:
              on_startup:
                preload: [b, alias-a, " a ", b]
            """);
        Assert.Equal<string>(["b", "a"], config.Preload);
    }

    [Fact]
    public void Preload_of_an_unknown_model_is_an_error_with_a_suggestion()
    {
        var result = Load(Models + "\nhooks:\n  on_startup:\n    preload: [bb, zzz]\n");
        var error = Error(result, "preload 'zzz' is not a model id or alias");
        Assert.Equal((13, "hooks.on_startup.preload[1]"), (error.Line, error.KeyPath));
        Error(result, "preload 'bb' is not a model id or alias; did you mean 'b'?");
    }

    [Theory]
    [InlineData("selectors:\n  fast: {strategy: pin, targets: [a]}\n", "fast", "a selector")]
    [InlineData("profiles:\n  coding:\n    pins: {llm-code: a}\n", "llm-code", "a pin of profile 'coding'")]
    [InlineData("peers:\n  remote:\n    proxy: http://x\n    models: [big]\n", "remote/big", "a model of peer 'remote'")]
    public void Preload_of_a_name_from_an_unsupported_section_is_a_warning(string section, string name, string what)
    {
        var result = Load(Models + "\n" + section + $"hooks:\n  on_startup:\n    preload: [\"{name}\"]\n");
        Assert.True(result.IsValid, string.Join('\n', result.Diagnostics));
        Assert.Contains(what, Warning(result, $"preload '{name}' names").Message, StringComparison.Ordinal);
        Assert.Empty(result.Config!.Preload);
    }

    [Fact]
    public void Preload_of_a_setParamsByID_alias_is_a_warning()
    {
        var result = Load("""
            models:
              m:
                cmd: s --port ${PORT}
                filters:
                  setParamsByID:
                    "${MODEL_ID}:high": {effort: high}
            hooks:
              on_startup:
                preload: ["m:high"]
            """);
        Assert.True(result.IsValid);
        Warning(result, "preload 'm:high' names a setParamsByID alias of model 'm'");
    }

    [Fact]
    public void Hooks_shape_errors_and_unknown_hooks()
    {
        Error("models: {}\nhooks:\n  on_startup:\n    preload: a\n", "preload must be a list of model ids, got 'a'");
        var result = Load("models: {}\nhooks:\n  on_shutdown: {}\n");
        Assert.True(result.IsValid);
        Warning(result, "unknown key 'on_shutdown' is ignored");
    }
}
