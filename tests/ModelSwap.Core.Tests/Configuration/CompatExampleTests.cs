using System.Text.Json.Nodes;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Core.Tests.Configuration;

/// <summary>llama-swap's own reference config must load as it is.</summary>
public sealed class CompatExampleTests
{
    private static readonly string ExamplePath =
        Path.Combine(AppContext.BaseDirectory, "Configuration", "Fixtures", "llama-swap", "config.example.yaml");

    private static readonly Dictionary<string, string> Env = new()
    {
        ["HOME"] = "/home/tester",
        ["API_KEY_1"] = "sk-one",
        ["API_KEY_2"] = "sk-two",
        ["OPENROUTER_API_KEY"] = "sk-openrouter",
    };

    private static string Yaml => File.ReadAllText(ExamplePath);

    private static ConfigLoadResult LoadExample(IReadOnlyDictionary<string, string>? env = null) =>
        ConfigLoader.LoadFile(ExamplePath, new ConfigLoadOptions
        {
            GetEnvironmentVariable = name => (env ?? Env).GetValueOrDefault(name),
            IsPortFree = _ => true,
        });

    [Fact]
    public void Example_loads_without_errors()
    {
        var result = LoadExample();
        Assert.True(result.IsValid, string.Join('\n', result.Diagnostics));
        Assert.Empty(result.Errors);
        var config = result.Config!;
        Assert.Equal<string>(["docker-llama", "gpt-oss-120b", "unlisted-model"], config.Models.Keys);
        Assert.Equal(TimeSpan.FromSeconds(500), config.HealthCheckTimeout);
        Assert.Equal("info", config.LogLevel);
        Assert.Equal(10001, config.StartPort);
        Assert.Equal(TimeSpan.Zero, config.GlobalTtl);
        Assert.Equal(TimeSpan.FromSeconds(10), config.UnloadTimeout);
        Assert.False(config.IncludeAliasesInList);
        Assert.Equal<string>(["sk-hunter2", "sk-gyCPiKUcIfPlaM4OSMZekkprgijPx6+OsmQs8Rsg0xZ9qpy6gKWsIKqHOk+cgXVx", "sk-one", "sk-two"], config.ApiKeys);
        Assert.Empty(config.Groups);
        Assert.Empty(config.Preload);
        Assert.Equal("gpt-oss-120b", config.ResolveModelId("gpt-4o-mini"));
    }

    [Fact]
    public void Ports_are_assigned_in_sorted_id_order_from_startPort()
    {
        var config = LoadExample().Config!;
        Assert.Equal(10001, config.Models["docker-llama"].Port);
        Assert.Equal(10002, config.Models["gpt-oss-120b"].Port);
        Assert.Equal(10003, config.Models["unlisted-model"].Port);
        Assert.Equal(new Uri("http://127.0.0.1:10001"), config.Models["docker-llama"].Proxy);
        Assert.Equal(new Uri("http://localhost:10003"), config.Models["unlisted-model"].Proxy);
    }

    [Fact]
    public void Gpt_oss_model_is_read_completely()
    {
        var model = LoadExample().Config!.Models["gpt-oss-120b"];
        Assert.Equal<string>(["/path/to/llama-server/llama-server-ec9e0301", "--port", "10002", "--model", "path/to/gpt-oss-120B.gguf",
            "--ctx-size", "16384", "--temperature", "0.7"], model.Command);
        Assert.Equal("gpt-oss 120B", model.Name);
        Assert.Equal("A thinking model from OpenAI", model.Description);
        Assert.Equal<KeyValuePair<string, string>>([new KeyValuePair<string, string>("CUDA_VISIBLE_DEVICES", "0,1,2")], model.Environment);
        Assert.Equal(new Uri("http://127.0.0.1:8999"), model.Proxy);
        Assert.Equal("/custom-endpoint", model.CheckEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(60), model.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(10), model.UnloadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(500), model.HealthCheckTimeout);
        Assert.Equal("openai/gpt-oss-120B", model.UseModelName);
        Assert.Equal<string>(["temperature", "top_p", "top_k"], model.Filters.StripParams);
        Assert.Equal("""{"temperature":0.7,"top_p":0.9}""", model.Filters.SetParams!.ToJsonString());
        Assert.Equal<string>(["gpt-4o-mini"], model.Aliases);
        Assert.Equal(0, model.ConcurrencyLimit);
        Assert.False(model.Unlisted);
    }

    [Fact]
    public void Metadata_keeps_types_and_expands_macros()
    {
        var metadata = LoadExample().Config!.Models["gpt-oss-120b"].Metadata!;
        Assert.Equal(10002L, metadata["port"]!.GetValue<long>());
        Assert.Equal(0.7, metadata["temperature"]!.GetValue<double>());
        Assert.Equal("The gpt-oss-120b is running on port 10002 temp=0.7, context=16384", metadata["note"]!.GetValue<string>());
        Assert.Equal("""[1,1.23,"macros are OK in list and dictionary types: gpt-oss-120b"]""", metadata["a_list"]!.ToJsonString());
        var obj = metadata["an_obj"]!.AsObject();
        Assert.Equal("1", obj["a"]!.GetValue<string>());
        Assert.Equal(2L, obj["b"]!.GetValue<long>());
        Assert.Equal("""[0.7,false,"model: gpt-oss-120b"]""", obj["c"]!.ToJsonString());
    }

    [Fact]
    public void Docker_model_keeps_quotes_model_id_and_stop_command()
    {
        var config = LoadExample().Config!;
        var docker = config.Models["docker-llama"];
        Assert.Equal<string>(["docker", "run", "--name", "docker-llama", "--init", "--rm", "-p", "10001:8080", "-v", "/mnt/nvme/models:/models",
            "ghcr.io/ggml-org/llama.cpp:server", "--model", "/models/Qwen2.5-Coder-0.5B-Instruct-Q4_K_M.gguf"], docker.Command);
        Assert.Equal<string>(["docker", "stop", "docker-llama"], docker.StopCommand);
        var unlisted = config.Models["unlisted-model"];
        Assert.True(unlisted.Unlisted);
        Assert.Equal<string>(["some-upstream-server"], unlisted.Command);
        Assert.Equal("/health", unlisted.CheckEndpoint);
        Assert.Null(unlisted.Ttl);
    }

    [Fact]
    public void Unsupported_sections_are_warned_with_their_lines()
    {
        var result = LoadExample();
        var yaml = Yaml;
        foreach (var key in new[] { "logTimeFormat", "logToStdout", "metricsMaxInMemory", "captureBuffer", "ui", "performance",
                     "sendLoadingState", "upstream", "profiles", "selectors", "routing", "peers" })
        {
            var warning = result.Warnings.Single(w => w.KeyPath == key);
            Assert.Equal(LineOf(yaml, key + ":", indent: 0), warning.Line);
            Assert.Contains($"'{key}'", warning.Message, StringComparison.Ordinal);
        }
        foreach (var key in new[] { "compat", "capabilities", "sendLoadingState" })
        {
            var warning = result.Warnings.Single(w => w.KeyPath == "models.gpt-oss-120b." + key);
            Assert.Equal(LineOf(yaml, key + ":", indent: 4), warning.Line);
        }
        // timeouts are honoured: none of its keys is warned about.
        Assert.DoesNotContain(result.Warnings, w => w.KeyPath.Contains("timeouts", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(60), result.Config!.Models["gpt-oss-120b"].Timeouts.ResponseHeader);
        var byId = result.Warnings.Single(w => w.KeyPath == "models.gpt-oss-120b.filters.setParamsByID");
        Assert.Equal(LineOf(yaml, "setParamsByID:", indent: 6), byId.Line);
        Assert.Contains("move routing.router.settings.groups to a top-level 'groups:'",
            result.Warnings.Single(w => w.KeyPath == "routing").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Preload_of_a_selector_is_a_warning_not_an_error()
    {
        var result = LoadExample();
        var warning = ConfigTestLoader.Warning(result, "preload 'llama'");
        Assert.Contains("a selector", warning.Message, StringComparison.Ordinal);
        Assert.Equal("hooks.on_startup.preload[0]", warning.KeyPath);
        Assert.Equal(LineOf(Yaml, "- \"llama\"", indent: 6), warning.Line);
    }

    [Fact]
    public void Example_names_each_missing_environment_variable()
    {
        var result = LoadExample(new Dictionary<string, string> { ["HOME"] = "/h" });
        Assert.False(result.IsValid);
        foreach (var name in new[] { "API_KEY_1", "API_KEY_2" })
        {
            var error = ConfigTestLoader.Error(result, $"environment variable '{name}' is not set");
            Assert.Equal(LineOf(Yaml, $"- \"${{env.{name}}}\"", indent: 2), error.Line);
        }
        // peers is ignored, so its key's variable is not needed.
        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("OPENROUTER_API_KEY", StringComparison.Ordinal));
    }

    private static int LineOf(string yaml, string prefix, int indent)
    {
        var lines = yaml.Split('\n');
        var wanted = new string(' ', indent) + prefix;
        return Array.FindIndex(lines, l => l.StartsWith(wanted, StringComparison.Ordinal)) + 1;
    }
}
