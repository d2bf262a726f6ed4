using ModelSwap.Core.Catalog;

namespace ModelSwap.Core.Tests.Catalog;

public sealed class ModelOverridesFileTests
{
    [Fact]
    public void Reads_settings_and_per_model_overrides()
    {
        var file = ModelOverridesFile.Parse("""
            settings:
              contextCap: 4096
              ttl: 60
              gpuLayers: 99
              llamaServer: engine
            models:
              "llama3.2:1b-instruct":
                ctxSize: 2048
                extraArgs: ["--flash-attn", "on"]
                aliases: [my-llama]
                ttl: 0
              "qwen2.5:7b-instruct":
                disabled: true
            """, "models.yaml");
        Assert.Empty(file.Errors);
        Assert.Equal(4096, file.ContextCap);
        Assert.Equal(TimeSpan.FromSeconds(60), file.Ttl);
        Assert.Equal("engine", file.LlamaServer);
        var llama = file.Models["llama3.2:1b-instruct"];
        Assert.Equal(2048, llama.ContextSize);
        Assert.Equal(["--flash-attn", "on"], llama.ExtraArgs.ToArray());
        Assert.Equal(TimeSpan.Zero, llama.Ttl);
        Assert.True(file.Models["qwen2.5:7b-instruct"].Disabled);
    }

    [Fact]
    public void Bad_values_are_reported_with_their_line_and_ignored()
    {
        var file = ModelOverridesFile.Parse("models:\n  m:\n    ctxSize: lots\n    disabled: maybe\n", "models.yaml");
        Assert.Equal(2, file.Errors.Length);
        Assert.Contains("models.yaml:3: ctxSize must be a whole number", file.Errors[0]);
        Assert.Contains("models.yaml:4: disabled must be true or false", file.Errors[1]);
        Assert.Null(file.Models["m"].ContextSize);
    }

    [Fact]
    public void Broken_yaml_is_an_error_not_a_crash() =>
        Assert.Single(ModelOverridesFile.Parse("models: [unclosed", "models.yaml").Errors);

    [Fact]
    public void A_missing_file_means_no_overrides() =>
        Assert.Empty(ModelOverridesFile.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("n"), "models.yaml")).Models);

    [Fact]
    public void Typos_are_warned_with_their_line_and_the_key_meant()
    {
        var file = ModelOverridesFile.Parse("""
            settings:
              contextcap: 4096
            models:
              "llama3.2:1b-instruct":
                ctxsize: 2048
                gpulayers: 20
                ttl: 60
            modles: {}
            """, "models.yaml");

        Assert.Empty(file.Errors);
        Assert.Equal(4, file.Warnings.Length);
        Assert.Contains(file.Warnings, w => w.StartsWith("models.yaml:2: unknown key 'settings.contextcap' is ignored; did you mean 'contextCap'?", StringComparison.Ordinal));
        Assert.Contains(file.Warnings, w => w.StartsWith("models.yaml:5: unknown key 'models.llama3.2:1b-instruct.ctxsize' is ignored; did you mean 'ctxSize'?", StringComparison.Ordinal));
        Assert.Contains(file.Warnings, w => w.StartsWith("models.yaml:6: unknown key 'models.llama3.2:1b-instruct.gpulayers' is ignored; did you mean 'gpuLayers'?", StringComparison.Ordinal));
        Assert.Contains(file.Warnings, w => w.StartsWith("models.yaml:8: unknown key 'modles' is ignored; did you mean 'models'?", StringComparison.Ordinal));
        // The known keys beside the typos still apply.
        Assert.Equal(TimeSpan.FromSeconds(60), file.Models["llama3.2:1b-instruct"].Ttl);
        Assert.Null(file.Models["llama3.2:1b-instruct"].ContextSize);
    }
}
