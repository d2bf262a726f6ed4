using ModelSwap.Core.Catalog;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Core.Configuration;
using ModelSwap.Testing;

namespace ModelSwap.Core.Tests.Catalog;

/// <summary>Models folder to config file: overrides, llama-server choice, validation, atomic writes.</summary>
public sealed class CatalogGeneratorTests : IDisposable
{
    private static readonly string[] Engine = ["/opt/modelswap/modelswap"];
    private readonly string _root = Directory.CreateTempSubdirectory("modelswap-catalog-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string P(string relative) => Path.Combine(_root, relative);

    private CatalogGenerator Generator(string? llamaServer = "engine", string? pathVariable = null) => new(new CatalogOptions
    {
        ModelDirectories = [P("models")],
        BundledDirectory = null,
        HomeDirectory = P("home"),
        EngineCommand = [.. Engine],
        LlamaServer = llamaServer,
        Locator = new BinaryLocatorOptions { BaseDirectory = P("app"), PathVariable = pathVariable },
        SettleTime = TimeSpan.Zero,
    });

    private void Models()
    {
        SmallGguf.Write(P("models/llama-3.2-1b-instruct-q4_k_m.gguf"), chatTemplate: "t", contextLength: 131072,
            metadata: [("general.size_label", GgufValue.String("1.2B")), ("general.name", GgufValue.String("Llama 3.2 1B Instruct"))]);
        SmallGguf.Write(P("models/nomic-embed-text-v1.5.Q8_0.gguf"), architecture: "nomic-bert", contextLength: 2048);
        SmallGguf.Write(P("models/gemma-3-4b-it-Q4_K_M.gguf"), architecture: "gemma3", chatTemplate: "t",
            metadata: [("general.size_label", GgufValue.String("3.9B"))]);
        SmallGguf.Write(P("models/mmproj-gemma-3-4b-it-f16.gguf"), architecture: "clip");
    }

    private static ModelSwapConfig Valid(string path)
    {
        var loaded = ConfigLoader.LoadFile(path, new ConfigLoadOptions { IsPortFree = _ => true });
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Diagnostics));
        return loaded.Config!;
    }

    [Fact]
    public async Task Writes_a_valid_config_into_the_home_folder()
    {
        Models();

        var generation = await Generator().GenerateAsync();

        Assert.Equal(P("home/config.generated.yaml"), generation.OutputPath);
        Assert.True(generation.Changed);
        Assert.Empty(generation.Errors);
        Assert.Empty(generation.Warnings);
        Assert.Null(generation.LlamaServer);
        var config = Valid(generation.OutputPath!);
        Assert.Equal(["gemma3:4b-it", "llama3.2:1b-instruct", "nomic-embed-text:v1.5"], config.Models.Keys.ToArray());
        var llama = config.Models["llama3.2:1b-instruct"];
        Assert.Equal([.. Engine, "engine", "--port", llama.Port!.ToString()!, "--model", P("models/llama-3.2-1b-instruct-q4_k_m.gguf"),
            "--ctx-size", "8192", "--alias", "llama3.2:1b-instruct"], llama.Command.ToArray());
        Assert.Equal("Llama 3.2 1B Instruct", llama.Name);
        Assert.Equal("llama3.2:1b-instruct", config.ResolveModelId(AliasRules.SmallChat));
        Assert.Equal("nomic-embed-text:v1.5", config.ResolveModelId(AliasRules.EmbeddingAda));
        Assert.Contains("--embeddings", config.Models["nomic-embed-text:v1.5"].Command);
        Assert.Equal(P("models/mmproj-gemma-3-4b-it-f16.gguf"), config.Models["gemma3:4b-it"].Metadata!["projector"]!.GetValue<string>());
        Assert.DoesNotContain(Directory.EnumerateFiles(P("home")), f => Path.GetFileName(f).StartsWith('.'));
    }

    [Fact]
    public async Task Rewrites_the_file_only_when_the_models_change()
    {
        Models();
        var generator = Generator();
        var first = await generator.GenerateAsync();
        var written = File.GetLastWriteTimeUtc(first.OutputPath!);
        File.SetLastWriteTimeUtc(first.OutputPath!, written - TimeSpan.FromHours(1));

        var again = await generator.GenerateAsync();
        Assert.False(again.Changed);
        Assert.Equal(written - TimeSpan.FromHours(1), File.GetLastWriteTimeUtc(first.OutputPath!));

        File.Delete(P("models/gemma-3-4b-it-Q4_K_M.gguf"));
        var fewer = await generator.GenerateAsync();
        Assert.True(fewer.Changed);
        Assert.DoesNotContain("gemma3:4b-it", Valid(fewer.OutputPath!).Models.Keys);
        Assert.Contains(fewer.Warnings, w => w.Contains("mmproj-gemma-3-4b-it-f16.gguf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Models_yaml_settings_and_overrides_apply_and_bad_aliases_are_dropped_with_warnings()
    {
        Models();
        Directory.CreateDirectory(P("home"));
        File.WriteAllText(P("home/models.yaml"), """
            settings:
              contextCap: 4096
              ttl: 60
            models:
              "llama3.2:1b-instruct":
                ctxSize: 2048
                aliases: [my-llama, shared, "gemma3:4b-it"]
                extraArgs: ["--threads", "2"]
              "gemma3:4b-it":
                aliases: [mine-too]
                disabled: true
              "nomic-embed-text:v1.5":
                aliases: [shared, mine-too]
              "not-here:7b":
                ttl: 5
            """);

        var generation = await Generator().GenerateAsync();

        Assert.Empty(generation.Errors);
        var config = Valid(generation.OutputPath!);
        Assert.Equal(["llama3.2:1b-instruct", "nomic-embed-text:v1.5"], config.Models.Keys.ToArray());
        Assert.Equal(2, generation.Models.Count);
        var llama = config.Models["llama3.2:1b-instruct"];
        Assert.Equal("2048", llama.Command[llama.Command.IndexOf("--ctx-size") + 1]);
        Assert.Equal(["--threads", "2"], llama.Command.TakeLast(2).ToArray());
        Assert.Equal(TimeSpan.FromSeconds(60), llama.Ttl);
        Assert.Equal("2048", config.Models["nomic-embed-text:v1.5"].Command[config.Models["nomic-embed-text:v1.5"].Command.IndexOf("--ctx-size") + 1]);
        Assert.Equal(["my-llama", "shared", AliasRules.SmallChat, AliasRules.Instruct], llama.Aliases.ToArray());
        Assert.Contains(generation.Warnings, w => w.Contains("models.nomic-embed-text:v1.5: alias 'shared' is already given to 'llama3.2:1b-instruct'", StringComparison.Ordinal));
        Assert.Equal(["mine-too", AliasRules.EmbeddingAda, AliasRules.EmbeddingSmall], config.Models["nomic-embed-text:v1.5"].Aliases.ToArray());
        Assert.Contains(generation.Warnings, w => w.Contains("alias 'gemma3:4b-it' is the name of a model", StringComparison.Ordinal));
        Assert.Contains(generation.Warnings, w => w.Contains("models.not-here:7b: no model of that name", StringComparison.Ordinal));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Llama_server_is_used_when_found_unless_engine_is_forced()
    {
        Models();
        var bin = Directory.CreateDirectory(P("bin")).FullName;
        var server = Path.Combine(bin, "llama-server");
        File.WriteAllText(server, "#!/bin/sh\necho 'version: 4589 (1d1e6a90)' >&2\n");
        File.SetUnixFileMode(server, (UnixFileMode)0b111_101_101);

        var found = await Generator(llamaServer: null, pathVariable: bin).GenerateAsync(write: false);
        Assert.Equal(server, found.LlamaServer!.Path);
        var llama = ConfigLoader.Parse(found.Yaml, "x.yaml", new ConfigLoadOptions { IsPortFree = _ => true }).Config!.Models["llama3.2:1b-instruct"];
        Assert.Equal(server, llama.Command[0]);
        Assert.Contains("--alias", llama.Command);
        Assert.DoesNotContain("-ngl", llama.Command); // the fake answers no --list-devices: a CPU build
        Assert.Null(found.OutputPath);
        Assert.False(File.Exists(P("home/config.generated.yaml")));

        Directory.CreateDirectory(P("home"));
        File.WriteAllText(P("home/models.yaml"), "settings:\n  llamaServer: engine\n");
        var forced = await Generator(llamaServer: null, pathVariable: bin).GenerateAsync(write: false);
        Assert.Null(forced.LlamaServer);
        var engine = ConfigLoader.Parse(forced.Yaml, "x.yaml", new ConfigLoadOptions { IsPortFree = _ => true }).Config!.Models["llama3.2:1b-instruct"];
        Assert.Equal([.. Engine, "engine"], engine.Command.Take(2).ToArray());

        File.WriteAllText(P("home/models.yaml"), $"settings:\n  llamaServer: {P("nope/llama-server")}\n");
        var broken = await Generator(llamaServer: null, pathVariable: bin).GenerateAsync(write: false);
        Assert.Null(broken.LlamaServer);
        Assert.Contains(broken.Warnings, w => w.Contains("nope/llama-server is not usable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_empty_models_folder_gives_a_valid_config_with_no_models()
    {
        Directory.CreateDirectory(P("models"));

        var generation = await Generator().GenerateAsync();

        Assert.Empty(generation.Errors);
        Assert.Empty(Valid(generation.OutputPath!).Models);
    }

    [Theory]
    [InlineData("/usr/local/bin/modelswap", "/usr/local/bin/modelswap.dll", new[] { "/usr/local/bin/modelswap" })]
    [InlineData("/usr/share/dotnet/dotnet", "/opt/ms/modelswap.dll", new[] { "/usr/share/dotnet/dotnet", "/opt/ms/modelswap.dll" })]
    [InlineData("/usr/share/dotnet/dotnet", "/x/testhost.dll", new[] { "modelswap" })]
    [InlineData("/usr/lib/testhost", "/x/testhost.dll", new[] { "modelswap" })]
    [InlineData(null, null, new[] { "modelswap" })]
    public void The_engine_runs_the_way_this_process_runs(string? process, string? entry, string[] expected) =>
        Assert.Equal(expected, EngineCommandLine.Resolve(process, entry).ToArray());
}
