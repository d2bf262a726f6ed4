using System.Text.Json.Nodes;
using ModelSwap.Core.Configuration;
using static ModelSwap.Core.Tests.Configuration.ConfigTestLoader;

namespace ModelSwap.Core.Tests.Configuration;

public sealed class MacroTests
{
    [Fact]
    public void Macros_expand_in_every_model_field()
    {
        var config = Valid("""
            macros:
              bin: /opt/llama-server
              host: 127.0.0.1
              path: /ready
              tag: v2
            models:
              m:
                cmd: ${bin} --host ${host} --port ${PORT} --alias ${MODEL_ID}
                cmdStop: ${bin}-stop ${PID} ${MODEL_ID}
                proxy: http://${host}:${PORT}
                env: ["TAG=${tag}", "ID=${MODEL_ID}"]
                checkEndpoint: ${path}
                useModelName: ${MODEL_ID}-${tag}
                name: Model ${tag}
                description: "${MODEL_ID} on ${PORT}"
                aliases: ["${MODEL_ID}-alias"]
                filters:
                  stripParams: "${tag}_param"
                  setParams: {tag: "${tag}", port: "${PORT}"}
            """);
        var model = config.Models["m"];
        Assert.Equal<string>(["/opt/llama-server", "--host", "127.0.0.1", "--port", "5800", "--alias", "m"], model.Command);
        Assert.Equal<string>(["/opt/llama-server-stop", "${PID}", "m"], model.StopCommand);
        Assert.Equal(new Uri("http://127.0.0.1:5800"), model.Proxy);
        Assert.Equal<KeyValuePair<string, string>>([new("TAG", "v2"), new("ID", "m")], model.Environment);
        Assert.Equal("/ready", model.CheckEndpoint);
        Assert.Equal("m-v2", model.UseModelName);
        Assert.Equal("Model v2", model.Name);
        Assert.Equal("m on 5800", model.Description);
        Assert.Equal<string>(["m-alias"], model.Aliases);
        Assert.Equal("m", config.ResolveModelId("m-alias"));
        Assert.Equal<string>(["v2_param"], model.Filters.StripParams);
        Assert.Equal("""{"tag":"v2","port":5800}""", model.Filters.SetParams!.ToJsonString());
    }

    [Fact]
    public void Model_macros_override_global_ones_even_inside_earlier_globals()
    {
        var config = Valid("""
            macros:
              ctx: 4096
              args: --ctx-size ${ctx}
            models:
              big:
                macros:
                  ctx: 32768
                cmd: server ${args} --port ${PORT}
              small:
                cmd: server ${args} --port ${PORT}
            """);
        Assert.Equal<string>(["server", "--ctx-size", "32768", "--port", "5800"], config.Models["big"].Command);
        Assert.Equal<string>(["server", "--ctx-size", "4096", "--port", "5801"], config.Models["small"].Command);
    }

    [Fact]
    public void Model_macros_may_use_global_and_earlier_model_macros()
    {
        var config = Valid("""
            macros:
              root: /models
            models:
              m:
                macros:
                  dir: ${root}/m
                  file: ${dir}/${MODEL_ID}.gguf
                cmd: server -m ${file} --port ${PORT}
            """);
        Assert.Equal("/models/m/m.gguf", config.Models["m"].Command[2]);
    }

    [Fact]
    public void A_macro_may_not_use_a_macro_declared_after_it()
    {
        var result = Load("""
            macros:
              a: "${b} x"
              b: y
            models:
              m:
                macros:
                  c: ${d}
                  d: z
                cmd: server ${a} ${c} --port ${PORT}
            """);
        var global = Error(result, "macro 'a' uses '${b}', which is declared after it; a macro may only use macros declared before it");
        Assert.Equal((2, "macros.a"), (global.Line, global.KeyPath));
        var model = Error(result, "macro 'c' uses '${d}', which is declared after it");
        Assert.Equal((7, "models.m.macros.c"), (model.Line, model.KeyPath));
        Assert.Equal(2, result.Errors.Count());
    }

    [Fact]
    public void A_global_macro_cannot_use_a_model_macro()
    {
        var error = Error("""
            macros:
              args: --ctx ${ctx}
            models:
              m:
                macros: {ctx: 1}
                cmd: server ${args} --port ${PORT}
            """, "macro 'args' uses unknown macro '${ctx}'");
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Self_reference_is_an_error()
    {
        var error = Error("macros:\n  a: \"${a}-x\"\nmodels:\n  m:\n    cmd: s ${a} --port ${PORT}\n", "macro 'a' refers to itself");
        Assert.Equal(2, error.Line);
    }

    [Theory]
    [InlineData("PORT", "macro name 'PORT' is reserved")]
    [InlineData("MODEL_ID", "macro name 'MODEL_ID' is reserved")]
    [InlineData("PID", "macro name 'PID' is reserved")]
    [InlineData("has.dot", "macro name 'has.dot' is invalid: it must match ^[a-zA-Z0-9_-]+$")]
    [InlineData("\"with space\"", "macro name 'with space' is invalid")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "is too long: at most 63 characters")]
    public void Bad_macro_names_are_errors(string name, string message)
    {
        var error = Error($"macros:\n  {name}: 1\nmodels:\n  m:\n    cmd: s --port ${{PORT}}\n", message);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void A_63_character_name_is_fine()
    {
        var name = new string('n', 63);
        Valid($"macros:\n  {name}: 1\nmodels:\n  m:\n    cmd: s ${{{name}}} --port ${{PORT}}\n");
    }

    [Theory]
    [InlineData("a: [1, 2]", "a must be a string, number or true/false, got a list")]
    [InlineData("a: {b: 1}", "a must be a string, number or true/false, got a mapping")]
    [InlineData("a:", "macro 'a' has no value")]
    [InlineData("a: ~", "macro 'a' has no value")]
    public void Macro_values_must_be_scalars(string line, string message)
    {
        var error = Error($"macros:\n  {line}\nmodels:\n  m:\n    cmd: s --port ${{PORT}}\n", message);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Too_long_macro_values_are_errors() =>
        Error($"macros:\n  a: {new string('x', 1024)}\nmodels:\n  m:\n    cmd: s --port ${{PORT}}\n", "macro 'a' is too long");

    [Fact]
    public void Unknown_macros_are_errors_in_each_field_with_a_suggestion()
    {
        var result = Load("""
            macros:
              model_dir: /m
            models:
              m:
                cmd: server -m ${model_dri}/x --port ${PORT}
                name: ${nope}
                metadata:
                  deep: {list: ["${missing}"]}
            """);
        var cmd = Error(result, "unknown macro '${model_dri}'; did you mean '${model_dir}'?");
        Assert.Equal((5, "models.m.cmd"), (cmd.Line, cmd.KeyPath));
        Assert.Equal((6, "models.m.name"), (Error(result, "'${nope}'").Line, Error(result, "'${nope}'").KeyPath));
        Assert.Equal("models.m.metadata.deep.list[0]", Error(result, "'${missing}'").KeyPath);
    }

    [Fact]
    public void Pid_is_only_for_cmdStop()
    {
        var error = Error("models:\n  m:\n    cmd: s ${PID} --port ${PORT}\n", "${PID} is only available in cmdStop");
        Assert.Equal("models.m.cmd", error.KeyPath);
    }

    [Fact]
    public void Macros_keep_their_types_when_a_value_is_exactly_one_macro()
    {
        var config = Valid("""
            macros:
              count: 3
              ratio: 0.25
              flag: true
              word: "hello"
              numeric_text: "42"
              alias_of_count: ${count}
            models:
              m:
                cmd: s --port ${PORT}
                metadata:
                  count: ${count}
                  ratio: "${ratio}"
                  flag: ${flag}
                  word: ${word}
                  numeric_text: ${numeric_text}
                  chained: ${alias_of_count}
                  port: ${PORT}
                  id: ${MODEL_ID}
                  mixed: "${count}x${ratio}"
                  literal_int: 7
                  literal_float: 1.5
                  literal_bool: false
                  literal_null: ~
                  quoted_number: "7"
                  nested: [{a: "${flag}"}]
            """);
        Assert.Equal(
            """{"count":3,"ratio":0.25,"flag":true,"word":"hello","numeric_text":"42","chained":3,"port":5800,"id":"m","mixed":"3x0.25","literal_int":7,"literal_float":1.5,"literal_bool":false,"literal_null":null,"quoted_number":"7","nested":[{"a":true}]}""",
            config.Models["m"].Metadata!.ToJsonString());
    }

    [Fact]
    public void Numbers_and_booleans_interpolate_as_written()
    {
        var config = Valid("""
            macros:
              ctx: 8192
              temp: 0.8
              mmap: false
            models:
              m:
                cmd: s -c ${ctx} --temp ${temp} --mmap=${mmap} --port ${PORT}
            """);
        Assert.Equal<string>(["s", "-c", "8192", "--temp", "0.8", "--mmap=false", "--port", "5800"], config.Models["m"].Command);
    }

    [Fact]
    public void Env_macros_are_substituted_first_and_everywhere()
    {
        var env = new Dictionary<string, string> { ["MODELS"] = "/data/models", ["KEY"] = "sk-env", ["BASE"] = "7000", ["NAME"] = "env-name" };
        var config = Valid("""
            startPort: ${env.BASE}
            apiKeys: ["${env.KEY}"]
            macros:
              dir: ${env.MODELS}
            models:
              m:
                cmd: s -m ${dir}/a.gguf --port ${PORT}
                name: ${env.NAME}
                metadata: {home: "${env.MODELS}"}
            """, env);
        Assert.Equal(7000, config.StartPort);
        Assert.Equal<string>(["sk-env"], config.ApiKeys);
        Assert.Equal("/data/models/a.gguf", config.Models["m"].Command[2]);
        Assert.Equal("env-name", config.Models["m"].Name);
        Assert.Equal("/data/models", config.Models["m"].Metadata!["home"]!.GetValue<string>());
    }

    [Fact]
    public void Missing_env_variables_are_errors_naming_the_variable_and_line()
    {
        var result = Load("""
            macros:
              dir: ${env.MODEL_HOME}
            models:
              m:
                cmd: s --port ${PORT}
                env: ["TOKEN=${env.HF_TOKEN}"]
            """);
        var macro = Error(result, "environment variable 'MODEL_HOME' is not set (used as ${env.MODEL_HOME})");
        Assert.Equal((2, "macros.dir"), (macro.Line, macro.KeyPath));
        var token = Error(result, "environment variable 'HF_TOKEN' is not set");
        Assert.Equal((6, "models.m.env[0]"), (token.Line, token.KeyPath));
    }

    [Fact]
    public void An_env_variable_set_to_empty_is_set()
    {
        var config = Valid("models:\n  m:\n    cmd: s${env.SUFFIX} --port ${PORT}\n", new Dictionary<string, string> { ["SUFFIX"] = "" });
        Assert.Equal("s", config.Models["m"].Command[0]);
    }

    [Fact]
    public void Api_keys_may_use_global_macros_but_not_model_macros()
    {
        var config = Valid("macros:\n  prefix: sk-\napiKeys: [\"${prefix}abc\"]\nmodels: {}\n");
        Assert.Equal<string>(["sk-abc"], config.ApiKeys);
        Error("apiKeys: [\"${MODEL_ID}\"]\nmodels: {}\n", "${MODEL_ID} is only available inside a model's settings");
        Error("apiKeys: [\"${undefined}\"]\nmodels: {}\n", "unknown macro '${undefined}'");
    }

    [Fact]
    public void Macros_in_comment_lines_of_cmd_are_not_checked()
    {
        var config = Valid("""
            models:
              m:
                cmd: |
                  # ${not_a_macro} is fine in a comment
                  server --port ${PORT}
            """);
        Assert.Equal<string>(["server", "--port", "5800"], config.Models["m"].Command);
    }

    [Fact]
    public void Macro_values_with_quotes_split_as_written()
    {
        var config = Valid("""
            macros:
              chat: "--chat-template-kwargs '{\"enable_thinking\": false}'"
            models:
              m:
                cmd: server ${chat} --port ${PORT}
            """);
        Assert.Equal<string>(["server", "--chat-template-kwargs", "{\"enable_thinking\": false}", "--port", "5800"], config.Models["m"].Command);
        Assert.IsType<JsonObject>(JsonNode.Parse(config.Models["m"].Command[2]));
    }
}
