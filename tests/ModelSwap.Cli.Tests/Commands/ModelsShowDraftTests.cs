using System.Text.Json;
using ModelSwap.Core.Catalog;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Testing;

namespace ModelSwap.Cli.Tests.Commands;

/// <summary>`models show` suggests draft models, and a draft set in models.yaml reaches the llama-server command.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ModelsShowDraftTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("modelswap-show-draft-").FullName;

    public ModelsShowDraftTests()
    {
        Write("tiny-1b-instruct.gguf", new TinyModelOptions { ExtraMetadata = [new("general.size_label", GgufValue.String("1B"))] });
        Write("tiny-100m-instruct.gguf", new TinyModelOptions { ExtraMetadata = [new("general.size_label", GgufValue.String("100M"))] });
        Write("tiny-embed-v1.gguf", new TinyModelOptions { Embedding = true });
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string ModelsDir => Path.Combine(_root, "models");
    private string Home => Path.Combine(_root, "home");

    private void Write(string file, TinyModelOptions options)
    {
        var path = Path.Combine(ModelsDir, file);
        Directory.CreateDirectory(ModelsDir);
        TinyModelBuilder.Write(path, options);
        SmallGguf.Age(path);
    }

    [Fact]
    public async Task Show_lists_smaller_same_vocabulary_models_as_drafts_and_a_chosen_draft_is_in_the_command()
    {
        var (code, json, stderr) = await RunAsync("models", "show", "tiny:1b-instruct", "--models-dir", ModelsDir, "--format", "json");
        Assert.True(code == 0, stderr);
        var shown = JsonDocument.Parse(json).RootElement;
        Assert.Equal(["tiny:100m-instruct"], shown.GetProperty("draftSuggestions").EnumerateArray().Select(e => e.GetString()!).ToArray());

        var server = Path.Combine(_root, "bin", "llama-server");
        Directory.CreateDirectory(Path.GetDirectoryName(server)!);
        File.WriteAllText(server, "#!/bin/sh\necho 'version: 7000 (test)' >&2\n");
        File.SetUnixFileMode(server, (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(Home);
        File.WriteAllText(Path.Combine(Home, "models.yaml"),
            $"settings:\n  llamaServer: {server}\nmodels:\n  \"tiny:1b-instruct\":\n    draft: \"tiny:100m-instruct\"\n");
        var (textCode, text, textErr) = await RunAsync("models", "show", "tiny:1b-instruct", "--models-dir", ModelsDir);
        Assert.True(textCode == 0, textErr);
        Assert.Contains("drafts:        tiny:100m-instruct", text, StringComparison.Ordinal);
        Assert.Contains($"-md {Path.Combine(ModelsDir, "tiny-100m-instruct.gguf")}", text, StringComparison.Ordinal);
    }

    private Task<CliResult> RunAsync(params string[] args) => new CliRunner(Home).RunAsync(args);
}
