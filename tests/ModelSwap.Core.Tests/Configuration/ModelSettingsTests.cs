using ModelSwap.Core.Configuration;
using static ModelSwap.Core.Tests.Configuration.ConfigTestLoader;

namespace ModelSwap.Core.Tests.Configuration;

public sealed class ModelSettingsTests
{
    private static ModelConfig Model(string settings, string id = "m")
    {
        var indented = string.Join('\n', settings.Split('\n').Select(l => "    " + l));
        return Valid($"models:\n  {id}:\n{indented}\n").Models[id];
    }

    private static ConfigDiagnostic ModelError(string settings, string message)
    {
        var indented = string.Join('\n', settings.Split('\n').Select(l => "    " + l));
        return Error($"models:\n  m:\n{indented}\n", message);
    }

    [Fact]
    public void Defaults_when_only_cmd_is_given()
    {
        var model = Model("cmd: llama-server --port ${PORT}");
        Assert.Equal("m", model.Id);
        Assert.Equal<string>(["llama-server", "--port", "5800"], model.Command);
        Assert.Empty(model.StopCommand);
        Assert.Equal(new Uri("http://localhost:5800"), model.Proxy);
        Assert.Equal(5800, model.Port);
        Assert.Empty(model.Aliases);
        Assert.Empty(model.Environment);
        Assert.Equal("/health", model.CheckEndpoint);
        Assert.Null(model.Ttl);
        Assert.False(model.Unlisted);
        Assert.Null(model.UseModelName);
        Assert.Null(model.Name);
        Assert.Null(model.Description);
        Assert.Null(model.Metadata);
        Assert.Equal(0, model.ConcurrencyLimit);
        Assert.True(model.Filters.IsEmpty);
    }

    [Fact]
    public void Every_model_setting_is_read()
    {
        var model = Model("""
            cmd: |
              # the server
              /opt/llama-server \
                --port ${PORT}
              --model "/models/my model.gguf"
            cmdStop: kill -INT ${PID}
            proxy: http://127.0.0.1:${PORT}/base
            aliases: [fast, "quick"]
            env: ["CUDA_VISIBLE_DEVICES=0", "OPTS=a=b", "EMPTY="]
            checkEndpoint: /v1/models
            ttl: 120
            unloadTimeout: 30
            unlisted: true
            useModelName: org/real-name
            name: My Model
            description: Does things
            concurrencyLimit: 4
            metadata: {size: 7}
            filters:
              stripParams: "top_k, , min_p ,top_k"
              setParams: {temperature: 0.2, stop: ["</s>"]}
            """);
        Assert.Equal<string>(["/opt/llama-server", "--port", "5800", "--model", "/models/my model.gguf"], model.Command);
        Assert.Equal<string>(["kill", "-INT", "${PID}"], model.StopCommand);
        Assert.Equal(new Uri("http://127.0.0.1:5800/base"), model.Proxy);
        Assert.Equal<string>(["fast", "quick"], model.Aliases);
        Assert.Equal<KeyValuePair<string, string>>(
            [new("CUDA_VISIBLE_DEVICES", "0"), new("OPTS", "a=b"), new("EMPTY", "")], model.Environment);
        Assert.Equal("/v1/models", model.CheckEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(120), model.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(30), model.UnloadTimeout);
        Assert.True(model.Unlisted);
        Assert.Equal("org/real-name", model.UseModelName);
        Assert.Equal("My Model", model.Name);
        Assert.Equal("Does things", model.Description);
        Assert.Equal(4, model.ConcurrencyLimit);
        Assert.Equal("""{"size":7}""", model.Metadata!.ToJsonString());
        Assert.Equal<string>(["top_k", "min_p"], model.Filters.StripParams);
        Assert.Equal("""{"temperature":0.2,"stop":["\u003C/s\u003E"]}""", model.Filters.SetParams!.ToJsonString());
    }

    [Theory]
    [InlineData("ttl: -1", null)]
    [InlineData("ttl: 0", 0)]
    [InlineData("ttl: 45", 45)]
    public void Ttl_minus_one_or_absent_uses_global_and_zero_means_never(string line, int? seconds)
    {
        var model = Model("cmd: x --port ${PORT}\n" + line);
        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), model.Ttl);
    }

    [Fact]
    public void UnloadTimeout_zero_uses_the_global_one()
    {
        var config = Valid("unloadTimeout: 7\nmodels:\n  a:\n    cmd: x\n    proxy: http://h:1\n    unloadTimeout: 0\n");
        Assert.Equal(TimeSpan.FromSeconds(7), config.Models["a"].UnloadTimeout);
    }

    [Fact]
    public void CheckEndpoint_none_disables_the_probe()
    {
        Assert.Null(Model("cmd: x --port ${PORT}\ncheckEndpoint: none").CheckEndpoint);
    }

    [Fact]
    public void Alias_mappings_and_legacy_strip_params_are_accepted()
    {
        var result = Load("""
            models:
              m:
                cmd: x --port ${PORT}
                aliases:
                  - id: first
                    name: First
                  - second
                filters:
                  strip_params: "a,b"
            """);
        Assert.True(result.IsValid, string.Join('\n', result.Diagnostics));
        Assert.Equal<string>(["first", "second"], result.Config!.Models["m"].Aliases);
        Assert.Equal<string>(["a", "b"], result.Config!.Models["m"].Filters.StripParams);
        Assert.Equal("models.m.aliases[0].name", Warning(result, "'name'").KeyPath);
    }

    [Theory]
    [InlineData("ttl: -2", "ttl must be >= 0 seconds (or -1 for globalTTL), got -2", 4)]
    [InlineData("ttl: abc", "ttl must be a whole number of seconds, got 'abc'", 4)]
    [InlineData("ttl: [1]", "ttl must be a whole number of seconds, got a list", 4)]
    [InlineData("unloadTimeout: -3", "unloadTimeout must be >= 0 seconds (0 uses the global unloadTimeout), got -3", 4)]
    [InlineData("concurrencyLimit: -1", "concurrencyLimit must be >= 0 (0 means no limit), got -1", 4)]
    [InlineData("concurrencyLimit: many", "concurrencyLimit must be a whole number, got 'many'", 4)]
    [InlineData("unlisted: 2", "unlisted must be true or false, got '2'", 4)]
    [InlineData("proxy: ftp://host/x", "proxy must be an absolute http:// or https:// URL, got 'ftp://host/x'", 4)]
    [InlineData("proxy: localhost:8080", "proxy must be an absolute http:// or https:// URL, got 'localhost:8080'", 4)]
    [InlineData("proxy: /relative", "proxy must be an absolute http:// or https:// URL, got '/relative'", 4)]
    [InlineData("checkEndpoint: health", "checkEndpoint must be a path starting with '/' or 'none', got 'health'", 4)]
    [InlineData("env: [\"NOEQUALS\"]", "env entry 'NOEQUALS' has no '='; write NAME=value", 4)]
    [InlineData("env: [\"1BAD=x\"]", "env name '1BAD' is invalid", 4)]
    [InlineData("env: [\"=x\"]", "env name '' is invalid", 4)]
    [InlineData("env: \"A=1\"", "env must be a list of NAME=value strings, got 'A=1'", 4)]
    [InlineData("env:\n  - {A: 1}", "each entry must be a string, got a mapping", 5)]
    [InlineData("aliases: fast", "aliases must be a list of alias names, got 'fast'", 4)]
    [InlineData("aliases: [\"\"]", "an alias must not be empty", 4)]
    [InlineData("metadata: [1, 2]", "metadata must be a mapping, got a list", 4)]
    [InlineData("filters: \"a,b\"", "filters must be a mapping, got 'a,b'", 4)]
    [InlineData("filters:\n  setParams: [1]", "setParams must be a mapping, got a list", 5)]
    [InlineData("cmd: \"\"", "cmd must not be empty", 3)]
    [InlineData("cmd: |\n  # only a comment", "cmd has no command (only blank or comment lines)", 3)]
    [InlineData("cmd: x 'open", "unterminated single quote in `'open`", 3)]
    [InlineData("cmdStop: kill \"${PID}", "unterminated double quote in `\"${PID}`", 4)]
    public void Bad_model_settings_are_errors_with_line_and_path(string settings, string message, int line)
    {
        var yaml = settings.StartsWith("cmd:", StringComparison.Ordinal) ? settings : "cmd: server --port ${PORT}\n" + settings;
        var error = ModelError(yaml, message);
        Assert.Equal(line, error.Line);
        Assert.StartsWith("models.m.", error.KeyPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_cmd_is_an_error_naming_the_model()
    {
        var error = Error("models:\n  llama:\n    proxy: http://h:1\n", "model 'llama' has no cmd; 'cmd' is required");
        Assert.Equal((2, "models.llama.cmd"), (error.Line, error.KeyPath));
        Assert.Equal(2, Error("models:\n  llama:\n", "model 'llama' has no settings").Line);
    }

    [Fact]
    public void Env_errors_never_echo_the_value()
    {
        var error = ModelError("cmd: x --port ${PORT}\nenv: [\"9TOKEN=hunter2\"]", "is invalid");
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_is_never_stripped_nor_set()
    {
        var result = Load("""
            models:
              m:
                cmd: x --port ${PORT}
                filters:
                  stripParams: "model, top_p"
                  setParams:
                    model: other
                    seed: 1
            """);
        Assert.True(result.IsValid);
        var filters = result.Config!.Models["m"].Filters;
        Assert.Equal<string>(["top_p"], filters.StripParams);
        Assert.Equal("""{"seed":1}""", filters.SetParams!.ToJsonString());
        Assert.Equal(5, Warning(result, "'model' can never be stripped").Line);
        var set = Warning(result, "'model' cannot be set by setParams");
        Assert.Equal((7, "models.m.filters.setParams.model"), (set.Line, set.KeyPath));
    }

    [Fact]
    public void Aliases_must_be_unique_across_models_and_differ_from_ids()
    {
        var result = Load("""
            models:
              a:
                cmd: x --port ${PORT}
                aliases: [shared, b, a, mine, mine]
              b:
                cmd: y --port ${PORT}
                aliases: [shared]
            """);
        var shared = Error(result, "alias 'shared' is used by both model 'a' and model 'b'");
        Assert.Equal((7, "models.b.aliases[0]"), (shared.Line, shared.KeyPath));
        Error(result, "alias 'b' of model 'a' is also the id of model 'b'");
        Error(result, "alias 'a' is the model's own id");
        Assert.Equal(4, Warning(result, "alias 'mine' is listed twice").Line);
    }

    [Fact]
    public void Ids_and_aliases_resolve_to_model_ids()
    {
        var config = Valid("""
            models:
              "z-ai/glm-4.7":
                cmd: x --port ${PORT}
                aliases: [glm]
              b:
                cmd: y --port ${PORT}
            """);
        Assert.Equal("z-ai/glm-4.7", config.ResolveModelId("glm"));
        Assert.Equal("z-ai/glm-4.7", config.ResolveModelId("z-ai/glm-4.7"));
        Assert.Equal("b", config.ResolveModelId("b"));
        Assert.Null(config.ResolveModelId("B"));
        Assert.Equal(3, config.ModelIdsByName.Count);
    }

    [Fact]
    public void Key_paths_quote_ids_with_dots()
    {
        var error = Error("models:\n  qwen2.5-7b:\n    cmd: x\n    ttl: no\n", "ttl must be");
        Assert.Equal("models[\"qwen2.5-7b\"].ttl", error.KeyPath);
    }

    [Fact]
    public void Unsupported_model_keys_warn_with_their_lines()
    {
        var result = Load("""
            models:
              m:
                cmd: x --port ${PORT}
                sendLoadingState: true
                timeouts: {connect: 5}
                capabilities: {tools: true}
                compat: {ignoreWebsockets: true}
                filters:
                  setParamsByID:
                    "${MODEL_ID}:fast": {reasoning_effort: low}
            """);
        Assert.True(result.IsValid);
        foreach (var (key, line) in new[] { ("sendLoadingState", 4), ("capabilities", 6), ("compat", 7), ("filters.setParamsByID", 9) })
        {
            var warning = result.Warnings.Single(w => w.KeyPath == "models.m." + key);
            Assert.Equal(line, warning.Line);
            Assert.Contains("does not support", warning.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Timeouts_are_read_with_llama_swap_keys_and_idle()
    {
        var result = Load("""
            models:
              m:
                cmd: x --port ${PORT}
                timeouts:
                  connect: 5
                  keepalive: 0
                  responseHeader: 60
                  tlsHandshake: 10
                  expectContinue: 2
                  idleConn: 45
                  idle: 120
                  iddle: 3
              plain:
                cmd: y --port ${PORT}
            """);
        Assert.True(result.IsValid);
        var timeouts = result.Config!.Models["m"].Timeouts;
        Assert.Equal(TimeSpan.FromSeconds(5), timeouts.Connect);
        Assert.Equal(TimeSpan.Zero, timeouts.KeepAlive);
        Assert.Equal(TimeSpan.FromSeconds(60), timeouts.ResponseHeader);
        Assert.Equal(TimeSpan.FromSeconds(2), timeouts.ExpectContinue);
        Assert.Equal(TimeSpan.FromSeconds(45), timeouts.IdleConnection);
        Assert.Equal(TimeSpan.FromSeconds(120), timeouts.Idle);
        Assert.Equal(UpstreamTimeouts.Default, result.Config.Models["plain"].Timeouts);
        var typo = result.Warnings.Single(w => w.KeyPath == "models.m.timeouts.iddle");
        Assert.Equal(12, typo.Line);
        Assert.Contains("did you mean 'idle'", typo.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_timeout_is_an_error_with_its_line()
    {
        var error = Error("models:\n  m:\n    cmd: x\n    timeouts:\n      idle: -1\n", "timeouts.idle must be");
        Assert.Equal(5, error.Line);
    }

    [Fact]
    public void Swap_wait_timeout_is_read()
    {
        var result = Load("swapWaitTimeout: 30\nmodels:\n  m:\n    cmd: x\n");
        Assert.True(result.IsValid);
        Assert.Equal(TimeSpan.FromSeconds(30), result.Config!.SwapWaitTimeout);
        Assert.Equal(ModelSwapConfig.DefaultSwapWaitTimeout, Load("models:\n  m:\n    cmd: x\n").Config!.SwapWaitTimeout);
    }
}
