using ModelSwap.Core.Catalog;

namespace ModelSwap.Core.Tests.Catalog;

/// <summary>Editing models.yaml (an alias added, settings set or removed) keeps everything the user wrote and gives a file the loader reads back.</summary>
public sealed class ModelsYamlEditorTests
{
    private static ModelOverride Read(string yaml, string model)
    {
        var file = ModelOverridesFile.Parse(yaml, "models.yaml");
        Assert.Empty(file.Errors);
        return file.Models[model];
    }

    [Fact]
    public void An_empty_file_gets_the_model_and_its_alias()
    {
        var yaml = ModelsYamlEditor.Insert("", "qwen2.5:7b", "my-qwen");
        Assert.Equal(["my-qwen"], Read(yaml, "qwen2.5:7b").Aliases.ToArray());
    }

    [Fact]
    public void Comments_settings_and_other_models_survive()
    {
        const string before = """
            # my settings
            settings:
              ttl: 300   # five minutes
            models:
              "llama3.2:1b":
                disabled: true
              "qwen2.5:7b":
                ctxSize: 8192
            """;
        var after = ModelsYamlEditor.Insert(before, "qwen2.5:7b", "my-qwen");
        Assert.Contains("# my settings", after, StringComparison.Ordinal);
        Assert.Contains("ttl: 300   # five minutes", after, StringComparison.Ordinal);
        Assert.True(Read(after, "llama3.2:1b").Disabled);
        Assert.Equal(8192, Read(after, "qwen2.5:7b").ContextSize);
        Assert.Equal(["my-qwen"], Read(after, "qwen2.5:7b").Aliases.ToArray());

        var another = ModelsYamlEditor.Insert(after, "gemma3:1b", "tiny");
        Assert.Equal(["tiny"], Read(another, "gemma3:1b").Aliases.ToArray());
        Assert.Equal(["my-qwen"], Read(another, "qwen2.5:7b").Aliases.ToArray());
    }

    [Theory]
    [InlineData("models:\n  \"m:1b\":\n    aliases: [a, b]\n")]
    [InlineData("models:\n  \"m:1b\":\n    aliases: []\n")]
    [InlineData("models:\n  \"m:1b\":\n    aliases:\n      - a\n    ttl: 5\n")]
    [InlineData("models:\n  \"m:1b\":\n")]
    [InlineData("models:\n")]
    [InlineData("settings:\n  ttl: 5\n")]
    public void The_alias_joins_whatever_list_shape_is_there(string before)
    {
        var after = ModelsYamlEditor.Insert(before, "m:1b", "new-name");
        Assert.Contains("new-name", Read(after, "m:1b").Aliases.ToArray());
        Assert.Same(after, ModelsYamlEditor.Insert(after, "m:1b", "new-name")); // a second copy changes nothing
    }

    [Fact]
    public void A_broken_file_is_reported_with_its_line_and_left_alone()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ModelsYamlEditor.Insert("models:\n  a: [\n", "m", "x"));
        Assert.Contains("models.yaml:", error.Message, StringComparison.Ordinal);
    }
    private static readonly YamlKeyEdit[] AllSettings =
    [
        new("ctx-size", "4096", ["ctxSize"]),
        new("gpuLayers", "20"),
        new("ttl", "600"),
        new("aliases", "[\"mine\", \"fast\"]"),
        new("extraArgs", "[\"--flash-attn\", \"on\"]"),
        new("disabled", "true"),
    ];

    [Theory]
    [InlineData("")]
    [InlineData("models:\n")]
    [InlineData("settings:\n  ttl: 5\n")]
    [InlineData("models:\n  \"m:1b\":\n")]
    [InlineData("models:\n  \"other\":\n    ttl: 1\n")]
    public void Settings_are_added_whatever_the_file_holds(string before)
    {
        var after = ModelsYamlEditor.SetKeys(before, "m:1b", AllSettings);
        var read = Read(after, "m:1b");
        Assert.Equal(4096, read.ContextSize);
        Assert.Equal(20, read.GpuLayers);
        Assert.Equal(TimeSpan.FromSeconds(600), read.Ttl);
        Assert.Equal(["mine", "fast"], read.Aliases.ToArray());
        Assert.Equal(["--flash-attn", "on"], read.ExtraArgs.ToArray());
        Assert.True(read.Disabled);
        Assert.Same(after, ModelsYamlEditor.SetKeys(after, "m:1b", AllSettings)); // saving the same again changes nothing
    }

    [Fact]
    public void Settings_replace_their_own_lines_and_leave_comments_and_other_keys()
    {
        const string before = """
            # my settings
            models:
              "m:1b":
                # the context I want
                ctxSize: 8192   # was 4096
                aliases:
                  - old-name
                  - older-name
                draft: "tiny"   # keep me
              "other":
                ttl: 1
            """;
        var after = ModelsYamlEditor.SetKeys(before, "m:1b",
            [new("ctx-size", "2048", ["ctxSize"]), new("aliases", "[\"new-name\"]"), new("ttl", null), new("disabled", null)]);
        Assert.Contains("# my settings", after, StringComparison.Ordinal);
        Assert.Contains("# the context I want", after, StringComparison.Ordinal);
        Assert.Contains("draft: \"tiny\"   # keep me", after, StringComparison.Ordinal);
        Assert.DoesNotContain("old-name", after, StringComparison.Ordinal);
        var read = Read(after, "m:1b");
        Assert.Equal(2048, read.ContextSize);
        Assert.Equal(["new-name"], read.Aliases.ToArray());
        Assert.Equal("tiny", read.Draft);
        Assert.Equal(TimeSpan.FromSeconds(1), Read(after, "other").Ttl);
    }

    [Fact]
    public void A_removed_setting_goes_back_to_its_default()
    {
        const string before = "models:\n  \"m:1b\":\n    ctx-size: 4096\n    gpuLayers: 3\n    extraArgs:\n      - --mlock\n";
        var after = ModelsYamlEditor.SetKeys(before, "m:1b", [new("ctx-size", null, ["ctxSize"]), new("extraArgs", null), new("gpuLayers", "5")]);
        var read = Read(after, "m:1b");
        Assert.Null(read.ContextSize);
        Assert.Empty(read.ExtraArgs);
        Assert.Equal(5, read.GpuLayers);
    }
    [Fact]
    public void Removing_every_setting_leaves_an_empty_entry_that_takes_settings_again()
    {
        var emptied = ModelsYamlEditor.SetKeys("models:\n  \"m:1b\":\n    ttl: 5\n", "m:1b", [new("ttl", null)]);
        Assert.Null(Read(emptied, "m:1b").Ttl);
        var again = ModelsYamlEditor.SetKeys(emptied, "m:1b", [new("ttl", "7")]);
        Assert.Equal(TimeSpan.FromSeconds(7), Read(again, "m:1b").Ttl);
    }
}
