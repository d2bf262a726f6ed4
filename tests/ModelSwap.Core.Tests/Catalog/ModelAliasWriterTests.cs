using ModelSwap.Core.Catalog;

namespace ModelSwap.Core.Tests.Catalog;

/// <summary>Adding an alias to models.yaml keeps everything the user wrote and gives a file the loader reads back.</summary>
public sealed class ModelAliasWriterTests
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
        var yaml = ModelAliasWriter.Insert("", "qwen2.5:7b", "my-qwen");
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
        var after = ModelAliasWriter.Insert(before, "qwen2.5:7b", "my-qwen");
        Assert.Contains("# my settings", after, StringComparison.Ordinal);
        Assert.Contains("ttl: 300   # five minutes", after, StringComparison.Ordinal);
        Assert.True(Read(after, "llama3.2:1b").Disabled);
        Assert.Equal(8192, Read(after, "qwen2.5:7b").ContextSize);
        Assert.Equal(["my-qwen"], Read(after, "qwen2.5:7b").Aliases.ToArray());

        var another = ModelAliasWriter.Insert(after, "gemma3:1b", "tiny");
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
        var after = ModelAliasWriter.Insert(before, "m:1b", "new-name");
        Assert.Contains("new-name", Read(after, "m:1b").Aliases.ToArray());
        Assert.Same(after, ModelAliasWriter.Insert(after, "m:1b", "new-name")); // a second copy changes nothing
    }

    [Fact]
    public void A_broken_file_is_reported_with_its_line_and_left_alone()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ModelAliasWriter.Insert("models:\n  a: [\n", "m", "x"));
        Assert.Contains("models.yaml:", error.Message, StringComparison.Ordinal);
    }
}
