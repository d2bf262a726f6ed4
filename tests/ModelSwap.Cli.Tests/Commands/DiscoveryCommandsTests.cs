using System.Diagnostics;
using System.Text.Json;
using ModelSwap.Core.Catalog;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Core.Configuration;
using ModelSwap.Testing;

namespace ModelSwap.Cli.Tests.Commands;

/// <summary>`config generate`, `models list` and `models show`, run as the real `modelswap` executable.</summary>
public sealed class DiscoveryCommandsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("modelswap-cli-discovery-").FullName;

    public DiscoveryCommandsTests()
    {
        ThreadPool.SetMinThreads(64, 64);
        Directory.CreateDirectory(ModelsDir);
        Tiny("tinyllama-1b-instruct-f32.gguf");
        Tiny("embed/nomic-embed-text-v1.5.Q8_0.gguf", embedding: true);
        File.WriteAllText(Path.Combine(ModelsDir, "broken.gguf"), "not a model");
        SmallGguf.Age(Path.Combine(ModelsDir, "broken.gguf"));
    }

    private string ModelsDir => Path.Combine(_root, "models");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Tiny(string relative, bool embedding = false)
    {
        var path = Path.Combine(ModelsDir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        TinyModelBuilder.Write(path, new TinyModelOptions { Embedding = embedding });
        SmallGguf.Age(path);
    }

    [Fact]
    public async Task Config_generate_prints_a_valid_config_and_writes_one_with_output()
    {
        var (code, stdout, stderr) = await RunAsync("config", "generate", "--models-dir", ModelsDir);

        Assert.True(code == 0, stderr);
        var config = ConfigLoader.Parse(stdout, "stdout", new ConfigLoadOptions { IsPortFree = _ => true });
        Assert.True(config.IsValid, string.Join('\n', config.Diagnostics));
        Assert.Equal(["nomic-embed-text:v1.5", "tinyllama:1b-instruct"], config.Config!.Models.Keys.ToArray());
        // Run under dotnet, the engine command is this very dotnet and modelswap.dll.
        Assert.Equal(["dotnet", "modelswap.dll", "engine"],
            config.Config.Models["tinyllama:1b-instruct"].Command.Take(3).Select(a => Path.GetFileName(a)).ToArray());
        Assert.Contains("broken.gguf: skipped: not a readable GGUF file", stderr, StringComparison.Ordinal);
        Assert.Contains("2 models from", stderr, StringComparison.Ordinal);

        var output = Path.Combine(_root, "out", "config.yaml");
        var (written, _, writeErr) = await RunAsync("config", "generate", "--models-dir", ModelsDir, "--output", output);
        Assert.True(written == 0, writeErr);
        Assert.Equal(stdout, await File.ReadAllTextAsync(output));
        Assert.False(File.Exists(Path.Combine(_root, "home", CatalogPaths.GeneratedConfigFileName)));

        var (missing, _, missingErr) = await RunAsync("config", "generate", "--models-dir", Path.Combine(_root, "nope"));
        Assert.Equal(2, missing);
        Assert.Contains("no such folder", missingErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_list_shows_names_aliases_facts_and_what_the_service_has_loaded()
    {
        await using var serve = await ServeProcess.StartAsync($"""
            models:
              "tinyllama:1b-instruct":
                cmd: {ServeProcess.FakeCmd("tinyllama")}
            """);
        using (var chat = await serve.Client.PostAsync("/v1/chat/completions",
            new StringContent("""{"model":"tinyllama:1b-instruct","messages":[]}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.True(chat.IsSuccessStatusCode);
        }

        var (code, stdout, stderr) = await RunAsync("models", "list", "--models-dir", ModelsDir, "--format", "json", "--url", serve.Client.BaseAddress!.ToString());

        Assert.True(code == 0, stderr);
        var rows = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(["nomic-embed-text:v1.5", "tinyllama:1b-instruct"], rows.Keys.Order(StringComparer.Ordinal).ToArray());
        var llama = rows["tinyllama:1b-instruct"];
        Assert.Equal([AliasRules.SmallChat, AliasRules.Instruct], llama.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.Equal(Path.Combine(ModelsDir, "tinyllama-1b-instruct-f32.gguf"), llama.GetProperty("file").GetString());
        Assert.Equal(new FileInfo(Path.Combine(ModelsDir, "tinyllama-1b-instruct-f32.gguf")).Length, llama.GetProperty("sizeBytes").GetInt64());
        Assert.Equal("llama", llama.GetProperty("architecture").GetString());
        Assert.Equal(164_000, llama.GetProperty("parameters").GetInt64());
        Assert.Equal("f32", llama.GetProperty("quantization").GetString());
        Assert.Equal(4096, llama.GetProperty("contextSize").GetInt32());
        Assert.True(llama.GetProperty("loaded").GetBoolean());
        Assert.False(rows["nomic-embed-text:v1.5"].GetProperty("loaded").GetBoolean());
        Assert.True(rows["nomic-embed-text:v1.5"].GetProperty("embedding").GetBoolean());

        var (tableCode, table, _) = await RunAsync("models", "list", "--models-dir", ModelsDir, "--url", "http://127.0.0.1:" + FreePort.Get());
        Assert.Equal(0, tableCode);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        var line = Assert.Single(lines, l => l.StartsWith("tinyllama:1b-instruct ", StringComparison.Ordinal));
        Assert.Equal(["tinyllama:1b-instruct", "gpt-3.5-turbo,text-davinci-003", "tinyllama-1b-instruct-f32.gguf", "654.3", "KiB", "llama", "164K", "f32", "4096", "unknown"],
            line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Models_show_prints_metadata_template_and_command()
    {
        var (code, stdout, stderr) = await RunAsync("models", "show", AliasRules.SmallChat, "--models-dir", ModelsDir);

        Assert.True(code == 0, stderr);
        Assert.Contains("name:          tinyllama:1b-instruct", stdout, StringComparison.Ordinal);
        Assert.Contains("general.name = tiny-llama", stdout, StringComparison.Ordinal);
        Assert.Contains("llama.context_length = 4096", stdout, StringComparison.Ordinal);
        Assert.Contains("tokenizer.ggml.tokens = <512 String items: <unk>, <s>, </s>", stdout, StringComparison.Ordinal);
        Assert.Contains(TinyModelBuilder.ChatMLTemplate, stdout, StringComparison.Ordinal);
        Assert.Matches(@"cmd:\s+\S*dotnet \S*modelswap\.dll engine --port \$\{PORT\} --model \S*tinyllama-1b-instruct-f32\.gguf --ctx-size 4096", stdout);

        var (jsonCode, json, _) = await RunAsync("models", "show", "nomic-embed-text:v1.5", "--models-dir", ModelsDir, "--format", "json");
        Assert.Equal(0, jsonCode);
        var shown = JsonDocument.Parse(json).RootElement;
        Assert.Equal(512, shown.GetProperty("metadata").GetProperty("tokenizer.ggml.tokens").GetProperty("count").GetInt32());
        Assert.Equal("1", shown.GetProperty("metadata").GetProperty("llama.pooling_type").GetString());
        Assert.EndsWith("--embeddings", shown.GetProperty("cmd").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("chatTemplate").ValueKind);

        var (unknown, _, unknownErr) = await RunAsync("models", "show", "nope:7b", "--models-dir", ModelsDir);
        Assert.Equal(2, unknown);
        Assert.Contains("no model 'nope:7b'", unknownErr, StringComparison.Ordinal);
        Assert.Contains("tinyllama:1b-instruct", unknownErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_demo_writes_tiny_models_and_answers_chat_and_embeddings_offline()
    {
        var empty = Path.Combine(_root, "demo-models");
        Directory.CreateDirectory(empty);
        var port = FreePort.Get();
        using var process = Start("serve", "--demo", "--models-dir", empty, "--listen", $"127.0.0.1:{port}");
        var output = CollectOutput(process);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(3) };
        try
        {
            var clock = Stopwatch.StartNew();
            var models = "";
            while (!models.Contains("text-embedding-ada-002", StringComparison.Ordinal) || !models.Contains("gpt-3.5-turbo", StringComparison.Ordinal))
            {
                Assert.False(process.HasExited, "serve exited: " + string.Join('\n', output));
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "hang guard: demo models not served: " + models + string.Join('\n', output));
                try
                {
                    models = await client.GetStringAsync("/v1/models");
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(50);
            }
            Assert.True(File.Exists(Path.Combine(empty, DemoModels.Folder, DemoModels.ChatFile)));
            using var chat = await client.PostAsync("/v1/chat/completions", new StringContent(
                """{"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"hi"}],"max_tokens":4}""", System.Text.Encoding.UTF8, "application/json"));
            var chatBody = await chat.Content.ReadAsStringAsync();
            Assert.True(chat.IsSuccessStatusCode, chatBody);
            Assert.Equal("length", System.Text.Json.Nodes.JsonNode.Parse(chatBody)!["choices"]![0]!["finish_reason"]!.GetValue<string>());
            using var embed = await client.PostAsync("/v1/embeddings", new StringContent(
                """{"model":"text-embedding-ada-002","input":"hello"}""", System.Text.Encoding.UTF8, "application/json"));
            var embedBody = await embed.Content.ReadAsStringAsync();
            Assert.True(embed.IsSuccessStatusCode, embedBody);
            Assert.Equal(64, System.Text.Json.Nodes.JsonNode.Parse(embedBody)!["data"]![0]!["embedding"]!.AsArray().Count);
        }
        finally
        {
            StopServe(process);
        }
    }

    [Fact]
    public async Task Serve_without_config_generates_one_and_runs_models_on_its_own_engine()
    {
        var port = FreePort.Get();
        using var process = Start("serve", "--models-dir", ModelsDir, "--listen", $"127.0.0.1:{port}");
        var output = CollectOutput(process);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(3) };
        try
        {
            var clock = Stopwatch.StartNew();
            string? models = null;
            while (models is null)
            {
                Assert.False(process.HasExited, "serve exited: " + string.Join('\n', output));
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "hang guard: serve did not answer: " + string.Join('\n', output));
                try
                {
                    models = await client.GetStringAsync("/v1/models");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(50);
                }
            }
            Assert.Contains("\"tinyllama:1b-instruct\"", models, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(_root, "home", CatalogPaths.GeneratedConfigFileName)));
            using var chat = await client.PostAsync("/v1/chat/completions", new StringContent(
                """{"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"hi"}],"max_tokens":3}""", System.Text.Encoding.UTF8, "application/json"));
            var body = await chat.Content.ReadAsStringAsync();
            Assert.True(chat.IsSuccessStatusCode, body + "\n" + string.Join('\n', output));
            Assert.Contains("\"choices\"", body, StringComparison.Ordinal);
        }
        finally
        {
            // SIGTERM: serve stops its model servers before it exits.
            StopServe(process);
        }

        var (missing, _, missingErr) = await RunAsync("serve", "--models-dir", Path.Combine(_root, "nope"), "--listen", "127.0.0.1:0");
        Assert.Equal(2, missing);
        Assert.Contains("no such folder", missingErr, StringComparison.Ordinal);
    }

    private static System.Collections.Concurrent.ConcurrentQueue<string> CollectOutput(Process process)
    {
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return output;
    }

    /// <summary>SIGTERM: serve stops its model servers before it exits.</summary>
    private static void StopServe(Process process)
    {
        if (!process.HasExited)
        {
            _ = Signals.Send(process.Id, Signals.Terminate);
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "modelswap.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment[CatalogPaths.HomeVariable] = Path.Combine(_root, "home");
        info.Environment["NO_COLOR"] = "1";
        return Process.Start(info)!;
    }

    // Never the user's own ~/.modelswap/models.yaml.
    private Task<CliResult> RunAsync(params string[] args) => new CliRunner(Path.Combine(_root, "home")).RunAsync(args);
}
