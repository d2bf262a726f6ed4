using ModelSwap.Core.Catalog;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Gateway.Tests.Management;

/// <summary>The settings' checks, field by field, and their models.yaml edits (defaults remove their key).</summary>
public sealed class ModelSettingsRulesTests
{
    private static string? NoOwner(string name) => null;

    [Fact]
    public void Valid_settings_pass()
    {
        var errors = ModelSettingsRules.Validate("m", new ModelSettings(4096, 0, 0, ["mine"], ["--mlock"], true), 8192, NoOwner);
        Assert.Empty(errors);
    }

    [Fact]
    public void Each_refused_field_is_named()
    {
        var errors = ModelSettingsRules.Validate("m", new ModelSettings(100_000, -1, -5, ["taken", " padded"], [""]), 8192,
            name => name == "taken" ? "other" : null);
        Assert.Equal("must be at most 8192, the context the model was trained with", errors["contextSize"]);
        Assert.Contains("gpuLayers", errors.Keys);
        Assert.Contains("ttlSeconds", errors.Keys);
        Assert.Equal("'taken' already names model 'other'", errors["aliases"]);
        Assert.Equal("an argument is empty", errors["extraArgs"]);
        Assert.Contains("at least 256", ModelSettingsRules.Validate("m", new ModelSettings(ContextSize: 100), null, NoOwner)["contextSize"]);
        Assert.Contains("listed twice", ModelSettingsRules.Validate("m", new ModelSettings(Aliases: ["a", "a"]), null, NoOwner)["aliases"]);
    }

    [Fact]
    public void A_draft_must_name_another_model_in_the_models_folders()
    {
        bool IsModelFile(string name) => name is "m" or "m-small";
        Assert.Empty(ModelSettingsRules.Validate("m", new ModelSettings(Draft: "m-small"), null, NoOwner, IsModelFile));
        Assert.Equal("'nope' is no model in the models folders (use its name as the Models page lists it)",
            ModelSettingsRules.Validate("m", new ModelSettings(Draft: "nope"), null, NoOwner, IsModelFile)["draft"]);
        Assert.Equal("a model cannot draft for itself", ModelSettingsRules.Validate("m", new ModelSettings(Draft: "m"), null, NoOwner, IsModelFile)["draft"]);
    }

    [Fact]
    public void Defaults_remove_their_keys_and_values_round_trip_through_models_yaml()
    {
        var settings = new ModelSettings(2048, 10, 120, ["a:b", "c"], ["--flash-attn", "on"], Disabled: true, Draft: "qwen2.5:0.5b-instruct");
        var yaml = ModelsYamlEditor.SetKeys("", "m", ModelSettingsRules.Edits(settings));
        var read = ModelOverridesFile.Parse(yaml, "models.yaml");
        Assert.Empty(read.Errors);
        var back = ModelSettingsRules.From(read.Models["m"]);
        Assert.Equal(settings with { Aliases = null, ExtraArgs = null }, back with { Aliases = null, ExtraArgs = null });
        Assert.Equal(settings.Aliases, back.Aliases);
        Assert.Equal(settings.ExtraArgs, back.ExtraArgs);

        var cleared = ModelsYamlEditor.SetKeys(yaml, "m", ModelSettingsRules.Edits(new ModelSettings()));
        var c = ModelSettingsRules.From(ModelOverridesFile.Parse(cleared, "models.yaml").Models["m"]);
        Assert.Equal((null, null, null, false, null), (c.ContextSize, c.GpuLayers, c.TtlSeconds, c.Disabled, c.Draft));
        Assert.Empty(c.Aliases!);
        Assert.Empty(c.ExtraArgs!);
        Assert.DoesNotContain("ctx-size", cleared, StringComparison.Ordinal);
    }
}
