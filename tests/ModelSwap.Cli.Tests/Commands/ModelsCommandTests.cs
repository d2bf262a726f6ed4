using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ModelSwap.Testing;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Cli.Tests.Commands;

/// <summary>Runs the real `modelswap` executable against the Hugging Face mirror (HF_ENDPOINT).</summary>
public sealed class ModelsCommandTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "modelswap-cli-models-" + Guid.NewGuid().ToString("N")[..10]);
    private HuggingFaceMirror _mirror = null!;

    private string ModelsDir => Path.Combine(_root, "models");

    public async Task InitializeAsync()
    {
        ThreadPool.SetMinThreads(64, 64);
        Directory.CreateDirectory(ModelsDir);
        _mirror = await HuggingFaceMirror.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _mirror.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Search_prints_json_with_the_hub_fields()
    {
        _mirror.AddRepo("bartowski/Qwen-GGUF", r => { r.Downloads = 7; r.Likes = 3; });

        var (code, stdout, _) = await RunAsync("models", "search", "qwen", "--format", "json", "--sort", "likes");

        Assert.Equal(0, code);
        var hit = JsonDocument.Parse(stdout).RootElement.EnumerateArray().Single();
        Assert.Equal("bartowski/Qwen-GGUF", hit.GetProperty("id").GetString());
        Assert.Equal(7, hit.GetProperty("downloads").GetInt64());
    }

    [Fact]
    public async Task Pull_in_ollama_form_downloads_model_and_mmproj_then_rm_deletes_them()
    {
        var repo = _mirror.AddRepo("org/Tiny-GGUF");
        var model = repo.AddFile("Tiny-Q4_K_M.gguf", MirrorFile.ValidGguf(75_000, 1));
        repo.AddFile("Tiny-Q8_0.gguf", MirrorFile.ValidGguf(125_000, 2));
        repo.AddFile("mmproj-Tiny-F16.gguf", MirrorFile.ValidGguf(5_000, 3, architecture: "clip"));

        var (code, stdout, stderr) = await RunAsync("models", "pull", "hf.co/org/Tiny-GGUF:Q4_K_M", "--models-dir", ModelsDir);

        Assert.True(code == 0, stderr);
        var path = Path.Combine(ModelsDir, "org_Tiny-GGUF", "Tiny-Q4_K_M.gguf");
        Assert.Equal(path, stdout.Trim());
        Assert.Equal(model.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
        Assert.True(File.Exists(Path.Combine(ModelsDir, "org_Tiny-GGUF", "mmproj-Tiny-F16.gguf")));
        Assert.False(File.Exists(Path.Combine(ModelsDir, "org_Tiny-GGUF", "Tiny-Q8_0.gguf")));

        var (rmCode, rmOut, rmErr) = await RunAsync("models", "rm", "Tiny-Q4_K_M", "--models-dir", ModelsDir);

        Assert.True(rmCode == 0, rmErr);
        Assert.Contains(path, rmOut);
        Assert.False(Directory.Exists(Path.Combine(ModelsDir, "org_Tiny-GGUF")));
    }

    [Fact]
    public async Task Top_level_pull_ends_with_success_and_a_repull_is_up_to_date_without_downloading()
    {
        _mirror.AddRepo("org/Tiny-GGUF").AddFile("Tiny-Q4_K_M.gguf", MirrorFile.RandomGguf(200_000, 4));

        var (code, stdout, stderr) = await RunAsync("pull", "hf.co/org/Tiny-GGUF:Q4_K_M", "--models-dir", ModelsDir);
        Assert.True(code == 0, stderr);
        Assert.Equal("success", stderr.Trim().Split('\n')[^1].Trim());
        Assert.EndsWith("Tiny-Q4_K_M.gguf", stdout.Trim(), StringComparison.Ordinal);

        _mirror.ClearRequests();
        (code, stdout, stderr) = await RunAsync("pull", "hf.co/org/Tiny-GGUF:Q4_K_M", "--models-dir", ModelsDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("is up to date", stderr, StringComparison.Ordinal);
        Assert.Equal("success", stderr.Trim().Split('\n')[^1].Trim());
        Assert.EndsWith("Tiny-Q4_K_M.gguf", stdout.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain(_mirror.Requests, r => r.Path.Contains("/resolve/", StringComparison.Ordinal));

        // A file changed on disk is no longer "verified": it is fetched again.
        var path = stdout.Trim();
        await File.WriteAllBytesAsync(path, new byte[200]);
        (code, _, stderr) = await RunAsync("pull", "hf.co/org/Tiny-GGUF:Q4_K_M", "--models-dir", ModelsDir);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("is up to date", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_help_ends_with_examples_and_top_level_model_verbs_exist()
    {
        Assert.Empty(ModelSwap.Cli.Commands.CommandExamples.Missing(ModelSwap.Cli.Commands.CommandTree.Build()));
        foreach (var verb in new[] { "list", "pull", "rm", "show", "run", "ps" })
        {
            var (code, stdout, stderr) = await RunAsync(verb, "--help");
            Assert.True(code == 0, stderr);
            Assert.Contains("Examples:\n  modelswap ", stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pull_of_a_missing_quant_lists_what_exists_and_fails()
    {
        _mirror.AddRepo("org/Tiny-GGUF").AddFile("Tiny-Q4_K_M.gguf", MirrorFile.RandomGguf(1000, 1));

        var (code, _, stderr) = await RunAsync("models", "pull", "org/Tiny-GGUF:Q2_K", "--models-dir", ModelsDir);

        Assert.Equal(1, code);
        Assert.Contains("no Q2_K", stderr);
        Assert.Contains("Q4_K_M", stderr);
    }

    [Fact]
    public async Task Rm_refuses_a_model_a_running_service_has_loaded_and_force_unloads_it_first()
    {
        var model = Path.Combine(ModelsDir, "tiny-chat-q8_0.gguf");
        ModelSwap.Core.Catalog.Gguf.TinyModelBuilder.Write(model);
        await using var serve = await ServeProcess.StartAsync($$"""
            models:
              tiny:
                cmd: '"{{ModelSwap.Testing.FakeUpstreamLauncher.DotnetPath}}" "{{ModelSwap.Testing.ModelSwapLauncher.DllPath}}" engine --port ${PORT} --model "{{model}}" --ctx-size 256'
            """, new Dictionary<string, string> { ["MODELSWAP_MODELS_DIR"] = ModelsDir });
        using (var chat = await serve.Client.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":2}""", System.Text.Encoding.UTF8, "application/json")))
        {
            chat.EnsureSuccessStatusCode();
        }
        var url = serve.Client.BaseAddress!.ToString();

        var (refused, _, refusedErr) = await RunAsync("models", "rm", "tiny-chat-q8_0", "--models-dir", ModelsDir, "--url", url);
        Assert.Equal(1, refused);
        Assert.Contains("loaded by the running service as tiny", refusedErr);
        Assert.True(File.Exists(model));

        // By the name the service gives it: tiny-chat-q8_0.gguf is served as tiny:chat.
        var (forced, stdout, forcedErr) = await RunAsync("models", "rm", "tiny:chat", "--models-dir", ModelsDir, "--url", url, "--force");
        Assert.True(forced == 0, forcedErr);
        Assert.Contains("unloaded tiny", forcedErr);
        Assert.Equal(model, stdout.Trim());
        Assert.False(File.Exists(model));
        Assert.DoesNotContain("\"tiny\"", await serve.Client.GetStringAsync("/running"));
    }

    [Fact]
    public async Task Rm_by_an_automatic_alias_is_refused_naming_the_model_it_points_at()
    {
        var model = ModelSwap.Testing.SmallGguf.Write(Path.Combine(ModelsDir, "qwen2.5-0.5b-instruct-q4_k_m.gguf"), chatTemplate: "t");

        var (code, _, stderr) = await RunAsync("models", "rm", "text-davinci-003", "--models-dir", ModelsDir, "--yes");

        Assert.Equal(2, code);
        Assert.Contains("automatic alias", stderr);
        Assert.Contains("'qwen2.5:0.5b-instruct'", stderr);
        Assert.True(File.Exists(model));
    }

    [Fact]
    public async Task Rm_of_a_path_outside_the_models_dir_is_refused()
    {
        var outside = Path.Combine(_root, "Victim-Q4_0.gguf");
        File.WriteAllBytes(outside, new byte[10]);

        var (code, _, stderr) = await RunAsync("models", "rm", outside, "--models-dir", ModelsDir);

        Assert.Equal(2, code);
        Assert.Contains("not inside the models dir", stderr);
        Assert.True(File.Exists(outside));
    }

    [Fact]
    public async Task Ctrl_c_keeps_the_part_and_says_how_to_resume_and_running_again_resumes()
    {
        var model = _mirror.AddRepo("org/Tiny-GGUF").AddFile("Tiny-Q4_K_M.gguf", MirrorFile.RandomGguf(900_000, 1));
        // Held until released: under heavy load the client's 60 s stall timeout can fire before the
        // interrupt and resume with a Range request, which a one-shot hold would let run to the end (exit 0).
        var hold = _mirror.HoldAt("org/Tiny-GGUF", "Tiny-Q4_K_M.gguf", 400_000, untilReleased: true);
        var part = Path.Combine(ModelsDir, "org_Tiny-GGUF", "Tiny-Q4_K_M.gguf.part");
        var pull = Start("models", "pull", "org/Tiny-GGUF", "--models-dir", ModelsDir);
        await hold.Reached.WaitAsync(TimeSpan.FromMinutes(3));
        // The bytes served before the hold may still be on their way to the disk: wait until they are
        // there (under load this takes a while), or the interrupt would find nothing to keep.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!(File.Exists(part + ".json") && new FileInfo(part).Length > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "the partial download never reached the disk");
            await Task.Delay(20);
        }

        Assert.Equal(0, Signals.Send(pull.Process.Id, Signals.Interrupt));
        var (code, _, stderr) = await pull.Completion;
        hold.Release();

        Assert.Equal(130, code);
        Assert.True(stderr.Contains("the same command again"), stderr);
        Assert.True(File.Exists(part));
        var kept = new FileInfo(part).Length;
        Assert.True(kept > 0);

        var (again, stdout, stderr2) = await RunAsync("models", "pull", "org/Tiny-GGUF", "--models-dir", ModelsDir);
        Assert.True(again == 0, stderr2);
        Assert.Equal($"bytes={kept}-", _mirror.Requests.Last(r => r.Path.Contains("/resolve/")).Range);
        Assert.Equal(model.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(stdout.Trim()))));
    }

    private Task<CliResult> RunAsync(params string[] args) => Start(args).Completion;

    private CliProcess Start(params string[] args) =>
        new CliRunner(Path.Combine(_root, "home")).With(
            ("HF_ENDPOINT", _mirror.Endpoint.AbsoluteUri), ("HF_TOKEN", ""), ("HF_HOME", Path.Combine(_root, "hf-home"))).Start(args);
}
