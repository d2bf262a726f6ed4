using ModelSwap.Core.Configuration;
using static ModelSwap.Core.Tests.Configuration.ConfigTestLoader;

namespace ModelSwap.Core.Tests.Configuration;

/// <summary>Security settings: read, and a misspelt one is an error (it would leave the service open).</summary>
public sealed class SecuritySettingsTests
{
    private const string OneModel = """
        models:
          m:
            cmd: server --port ${PORT}
        """;

    [Theory]
    [InlineData("apiKey", "apiKeys")]
    [InlineData("api_keys", "apiKeys")]
    [InlineData("APIKEYS", "apiKeys")]
    [InlineData("apikey", "apiKeys")]
    [InlineData("corsOrigin", "corsOrigins")]
    [InlineData("cors_origins", "corsOrigins")]
    [InlineData("allowedHost", "allowedHosts")]
    [InlineData("maxRequestBodySise", "maxRequestBodySize")]
    public void A_misspelt_security_key_is_an_error_naming_the_right_spelling(string typo, string meant)
    {
        var error = Error($"{typo}: [\"sk-typo-secret\"]\n" + OneModel, $"looks like the security setting '{meant}'");
        Assert.Equal(1, error.Line);
        Assert.DoesNotContain("sk-typo-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Other_unknown_keys_stay_warnings()
    {
        var result = Load("helthCheckTimeout: 30\n" + OneModel);
        Assert.True(result.IsValid);
        Warning(result, "did you mean 'healthCheckTimeout'");
    }

    [Fact]
    public void Cors_hosts_and_body_size_are_read()
    {
        var config = Valid("""
            corsOrigins: ["https://app.example.com", "http://*.lan:*"]
            allowedHosts: [models.lan]
            maxRequestBodySize: 10MB
            """ + "\n" + OneModel);
        Assert.Equal(["https://app.example.com", "http://*.lan:*"], config.CorsOrigins.ToArray());
        Assert.Equal(["models.lan"], config.AllowedHosts.ToArray());
        Assert.Equal(10_000_000, config.MaxRequestBodySize);
        Assert.Equal(100L * 1024 * 1024, Valid(OneModel).MaxRequestBodySize);
    }

    [Theory]
    [InlineData("maxRequestBodySize: lots")]
    [InlineData("maxRequestBodySize: 0")]
    [InlineData("maxRequestBodySize: -5")]
    public void A_bad_body_size_is_an_error(string line) =>
        Error(line + "\n" + OneModel, "maxRequestBodySize must be a size in bytes");

    [Fact]
    public void Env_entry_errors_never_echo_the_value()
    {
        var error = Error("""
            models:
              m:
                cmd: server --port ${PORT}
                env: ["${env.SECRET_TOKEN}"]
            """, "has no '='", new Dictionary<string, string> { ["SECRET_TOKEN"] = "tok-123456" });
        Assert.DoesNotContain("tok-123456", error.ToString(), StringComparison.Ordinal);
    }
}
