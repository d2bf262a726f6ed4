using ModelSwap.Core.Configuration;
using static ModelSwap.Core.Tests.Configuration.ConfigTestLoader;

namespace ModelSwap.Core.Tests.Configuration;

public sealed class TopLevelSettingsTests
{
    private const string OneModel = """
        models:
          m:
            cmd: server --port ${PORT}
        """;

    [Fact]
    public void Defaults_match_llama_swap()
    {
        var config = Valid(OneModel);
        Assert.Equal(TimeSpan.FromSeconds(120), config.HealthCheckTimeout);
        Assert.Equal("info", config.LogLevel);
        Assert.Equal(5800, config.StartPort);
        Assert.Equal(TimeSpan.Zero, config.GlobalTtl);
        Assert.Equal(TimeSpan.FromSeconds(10), config.UnloadTimeout);
        Assert.False(config.IncludeAliasesInList);
        Assert.Empty(config.ApiKeys);
        Assert.Empty(config.Groups);
        Assert.Empty(config.Preload);
        Assert.Equal(5800, config.Models["m"].Port);
        Assert.Equal(TimeSpan.FromSeconds(120), config.Models["m"].HealthCheckTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Models["m"].UnloadTimeout);
    }

    [Fact]
    public void Every_top_level_setting_is_read()
    {
        var config = Valid("""
            healthCheckTimeout: 60
            logLevel: debug
            startPort: 9000
            globalTTL: 300
            unloadTimeout: 3
            includeAliasesInList: true
            apiKeys: ["sk-a", "sk-b"]
            """ + "\n" + OneModel);
        Assert.Equal(TimeSpan.FromSeconds(60), config.HealthCheckTimeout);
        Assert.Equal("debug", config.LogLevel);
        Assert.Equal(9000, config.StartPort);
        Assert.Equal(TimeSpan.FromSeconds(300), config.GlobalTtl);
        Assert.Equal(TimeSpan.FromSeconds(3), config.UnloadTimeout);
        Assert.True(config.IncludeAliasesInList);
        Assert.Equal<string>(["sk-a", "sk-b"], config.ApiKeys);
        Assert.Equal(TimeSpan.FromSeconds(60), config.Models["m"].HealthCheckTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), config.Models["m"].UnloadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(300), config.TtlOf(config.Models["m"]));
    }

    [Fact]
    public void HealthCheckTimeout_below_15_is_raised_to_15_with_a_warning()
    {
        var result = Load("healthCheckTimeout: 5\n" + OneModel);
        Assert.True(result.IsValid);
        Assert.Equal(TimeSpan.FromSeconds(15), result.Config!.HealthCheckTimeout);
        var warning = Warning(result, "below the minimum of 15 seconds");
        Assert.Equal(1, warning.Line);
        Assert.Equal("healthCheckTimeout", warning.KeyPath);
    }

    [Theory]
    [InlineData("logLevel: verbose", "logLevel must be one of debug, info, warn, error, got 'verbose'")]
    [InlineData("startPort: 0", "startPort must be a port number from 1 to 65535, got 0")]
    [InlineData("startPort: 70000", "startPort must be a port number from 1 to 65535, got 70000")]
    [InlineData("globalTTL: -5", "globalTTL must be >= 0 seconds (0 means never unload), got -5")]
    [InlineData("unloadTimeout: -1", "unloadTimeout must be >= 0 seconds, got -1")]
    [InlineData("healthCheckTimeout: soon", "healthCheckTimeout must be a whole number of seconds, got 'soon'")]
    [InlineData("globalTTL: 1.5", "globalTTL must be a whole number of seconds, got '1.5'")]
    [InlineData("startPort: [1]", "startPort must be a whole number, got a list")]
    [InlineData("includeAliasesInList: maybe", "includeAliasesInList must be true or false, got 'maybe'")]
    [InlineData("apiKeys: sk-one", "apiKeys must be a list of strings, got a single value")]
    [InlineData("apiKeys: ['']", "an API key must not be empty")]
    [InlineData("apiKeys: ['sk one']", "an API key must not contain spaces")]
    [InlineData("macros: [a, b]", "macros must be a mapping of macro names to values, got a list")]
    public void Bad_values_are_errors_on_their_line(string line, string message)
    {
        var error = Error("# first line\n" + line + "\n" + OneModel, message);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Log_level_is_case_insensitive_and_yaml11_booleans_are_accepted_for_bool_settings()
    {
        var config = Valid("logLevel: WARN\nincludeAliasesInList: yes\n" + OneModel);
        Assert.Equal("warn", config.LogLevel);
        Assert.True(config.IncludeAliasesInList);
    }

    [Fact]
    public void Api_key_errors_never_echo_the_key()
    {
        var error = Error("apiKeys: ['sk secret']\n" + OneModel, "spaces");
        Assert.DoesNotContain("secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_models_is_an_error()
    {
        var error = Error("logLevel: info\n", "required key 'models' is missing");
        Assert.Equal("models", error.KeyPath);
    }

    [Fact]
    public void Models_as_a_list_is_an_error_with_line_and_path()
    {
        var error = Error("logLevel: info\nmodels:\n  - cmd: x\n", "models must be a mapping of model ids to model settings, got a list");
        Assert.Equal(3, error.Line);
        Assert.Equal("models", error.KeyPath);
    }

    [Fact]
    public void Empty_models_is_valid_with_a_warning()
    {
        var result = Load("models: {}\n");
        Assert.True(result.IsValid);
        Warning(result, "no models are defined");
        Assert.True(Load("models:\n").IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void Empty_file_is_an_error(string yaml) => Error(yaml, "the file is empty");

    [Fact]
    public void Top_level_that_is_not_a_mapping_is_an_error() =>
        Error("- a\n- b\n", "the top level must be a mapping");

    [Theory]
    [InlineData("models:\n  m:\n    cmd: \"unterminated\n", 3)]
    [InlineData("models:\n  m:\n    cmd: x\n   bad: indent\n", 4)]
    [InlineData("models: [a, b\nlogLevel: info\n", 2)]
    [InlineData("a: b: c\n", 1)]
    [InlineData("models:\n  m:\n    cmd: x\n  m:\n    cmd: y\n", 4)]
    public void Yaml_syntax_errors_are_one_error_with_a_line(string yaml, int line)
    {
        var result = Load(yaml);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(ConfigSeverity.Error, error.Severity);
        Assert.StartsWith("invalid YAML: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
        Assert.Null(result.Config);
    }

    [Fact]
    public void Only_the_first_yaml_document_is_read()
    {
        var result = Load(OneModel + "\n---\nmodels: {}\n");
        Assert.True(result.IsValid);
        Assert.Equal(5, Warning(result, "only the first YAML document is read").Line);
    }

    [Fact]
    public void Unknown_keys_warn_with_a_suggestion()
    {
        var result = Load("""
            logLevle: info
            healthchecktimeout: 30
            models:
              m:
                cmd: x --port ${PORT}
                ttll: 5
                filters:
                  stripParam: "a"
            hooks:
              on_start:
                preload: [m]
            zzz: 1
            """);
        Assert.True(result.IsValid);
        Assert.Equal(1, Warning(result, "unknown key 'logLevle' is ignored; did you mean 'logLevel'?").Line);
        Warning(result, "unknown key 'healthchecktimeout' is ignored; did you mean 'healthCheckTimeout'?");
        var ttl = Warning(result, "unknown key 'ttll' is ignored; did you mean 'ttl'?");
        Assert.Equal((6, "models.m.ttll"), (ttl.Line, ttl.KeyPath));
        Assert.Equal("models.m.filters.stripParam", Warning(result, "'stripParam'").KeyPath);
        Assert.Equal(10, Warning(result, "unknown key 'on_start' is ignored; did you mean 'on_startup'?").Line);
        Assert.Equal("unknown key 'zzz' is ignored", Warning(result, "'zzz'").Message);
    }

    [Theory]
    [InlineData("matrix:\n  sets: {a: m}\n", "matrix")]
    [InlineData("peers:\n  p:\n    proxy: http://x\n    models: [a]\n", "peers")]
    [InlineData("profiles: {}\n", "profiles")]
    [InlineData("selectors: {}\n", "selectors")]
    [InlineData("store:\n  path: /x.sqlite\n", "store")]
    [InlineData("logRequests: true\n", "logRequests")]
    public void Unsupported_top_level_keys_warn_with_their_line(string section, string key)
    {
        var result = Load(OneModel + "\n" + section);
        Assert.True(result.IsValid);
        var warning = Warning(result, $"'{key}' is a llama-swap setting ModelSwap does not support; it is ignored");
        Assert.Equal(4, warning.Line);
        Assert.Equal(key, warning.KeyPath);
    }

    [Fact]
    public void Yaml_anchors_and_merge_keys_work_as_in_llama_swap()
    {
        var config = Valid("""
            models:
              a: &base
                cmd: server --port ${PORT}
                ttl: 30
                env: ["A=1"]
              b:
                <<: *base
                ttl: 60
            """);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Models["a"].Ttl);
        Assert.Equal(TimeSpan.FromSeconds(60), config.Models["b"].Ttl);
        Assert.Equal<string>(["server", "--port", "5801"], config.Models["b"].Command);
        Assert.Equal("A", config.Models["b"].Environment.Single().Key);
    }

    [Fact]
    public void Every_error_is_reported_not_just_the_first()
    {
        var result = Load("""
            startPort: 0
            globalTTL: -1
            logLevel: loud
            models:
              a:
                ttl: abc
              b:
                cmd: x
                ttl: -2
                proxy: ftp://nowhere
                env: ["NOEQUALS"]
                concurrencyLimit: -1
              c: "not a mapping"
            groups:
              g:
                members: [nope]
            hooks:
              on_startup:
                preload: [ghost]
            """);
        Assert.False(result.IsValid);
        var expected = new (int Line, string Path)[]
        {
            (1, "startPort"), (2, "globalTTL"), (3, "logLevel"), (5, "models.a.cmd"), (6, "models.a.ttl"), (9, "models.b.ttl"),
            (10, "models.b.proxy"), (11, "models.b.env[0]"), (12, "models.b.concurrencyLimit"), (13, "models.c"),
            (16, "groups.g.members[0]"), (19, "hooks.on_startup.preload[0]"),
        };
        Assert.Equal(expected, result.Errors.Select(e => (e.Line, e.KeyPath)));
    }

    [Fact]
    public void LoadFile_reports_a_missing_file_and_a_directory()
    {
        var missing = ConfigLoader.LoadFile("/nonexistent/modelswap/config.yaml");
        Assert.False(missing.IsValid);
        Assert.Contains("file not found", Assert.Single(missing.Errors).Message, StringComparison.Ordinal);
        var directory = Directory.CreateTempSubdirectory("modelswap-config-");
        try
        {
            Assert.Contains("is a directory", Assert.Single(ConfigLoader.LoadFile(directory.FullName).Errors).Message, StringComparison.Ordinal);
            var file = Path.Combine(directory.FullName, "config.yaml");
            File.WriteAllText(file, "models:\n  m:\n    cmd: x\n    ttl: bad\n");
            var error = Assert.Single(ConfigLoader.LoadFile(file).Errors);
            Assert.Equal($"error: {file}:4: models.m.ttl: ttl must be a whole number of seconds, got 'bad'", error.ToString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
