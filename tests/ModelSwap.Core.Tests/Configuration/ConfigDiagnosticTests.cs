using ModelSwap.Core.Configuration;

namespace ModelSwap.Core.Tests.Configuration;

public sealed class ConfigDiagnosticTests
{
    [Fact]
    public void Formats_with_severity_file_line_and_key_path()
    {
        Assert.Equal("error: config.yaml:12: models.llama.ttl: ttl must be >= 0",
            new ConfigDiagnostic(ConfigSeverity.Error, "config.yaml", 12, "models.llama.ttl", "ttl must be >= 0").ToString());
        Assert.Equal("warning: config.yaml:3: routing: ignored",
            new ConfigDiagnostic(ConfigSeverity.Warning, "config.yaml", 3, "routing", "ignored").ToString());
    }

    [Fact]
    public void Omits_a_missing_line_and_key_path()
    {
        Assert.Equal("error: /etc/x.yaml: file not found",
            new ConfigDiagnostic(ConfigSeverity.Error, "/etc/x.yaml", 0, "", "file not found").ToString());
    }

    [Fact]
    public void Result_is_valid_only_with_a_config_and_no_errors()
    {
        var warning = new ConfigDiagnostic(ConfigSeverity.Warning, "c", 1, "", "w");
        var error = new ConfigDiagnostic(ConfigSeverity.Error, "c", 1, "", "e");
        Assert.True(new ConfigLoadResult(new ModelSwapConfig(), [warning]).IsValid);
        Assert.False(new ConfigLoadResult(new ModelSwapConfig(), [error]).IsValid);
        Assert.False(new ConfigLoadResult(null, []).IsValid);
        var both = new ConfigLoadResult(null, [warning, error]);
        Assert.Equal([error], both.Errors);
        Assert.Equal([warning], both.Warnings);
    }
}
