using ModelSwap.Core.Catalog;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Core.Tests.Catalog;

public sealed class ConfigGeneratorTests
{
    private static readonly DiscoveredModel Chat = new()
    {
        Name = "llama3.2:1b-instruct",
        Path = "/models/it's here/llama-3.2-1b-instruct-q4_k_m.gguf",
        SizeBytes = 800_000_000,
        Architecture = "llama",
        ParameterCount = 1_240_000_000,
        Quantization = "Q4_K_M",
        ContextLength = 131072,
        IsInstruct = true,
        HasChatTemplate = true,
        DisplayName = "Llama 3.2 1B Instruct",
        Aliases = ["gpt-3.5-turbo", "text-davinci-003"],
    };

    private static readonly DiscoveredModel Embedder = new()
    {
        Name = "nomic-embed-text:v1.5",
        Path = "/models/nomic-embed-text-v1.5.Q8_0.gguf",
        SizeBytes = 140_000_000,
        Architecture = "nomic-bert",
        ContextLength = 2048,
        IsEmbedding = true,
        Aliases = ["text-embedding-ada-002", "text-embedding-3-small"],
    };

    private static ModelSwapConfig Load(string yaml)
    {
        var result = ConfigLoader.Parse(yaml, "generated.yaml", new ConfigLoadOptions { IsPortFree = _ => true });
        Assert.True(result.IsValid, string.Join('\n', result.Diagnostics));
        Assert.Empty(result.Warnings);
        return result.Config!;
    }

    [Fact]
    public void Engine_config_passes_the_validator_and_round_trips()
    {
        var yaml = ConfigGenerator.Generate([Embedder, Chat], new GeneratorSettings { EngineCommand = ["dotnet", "/opt/modelswap/modelswap.dll"] });
        var config = Load(yaml);

        var chat = config.Models["llama3.2:1b-instruct"];
        Assert.Equal(["dotnet", "/opt/modelswap/modelswap.dll", "engine", "--port", chat.Port!.Value.ToString(),
            "--model", "/models/it's here/llama-3.2-1b-instruct-q4_k_m.gguf", "--ctx-size", "8192",
            "--alias", "llama3.2:1b-instruct"], chat.Command.ToArray());
        Assert.Equal(["gpt-3.5-turbo", "text-davinci-003"], chat.Aliases.ToArray());
        Assert.Equal("Llama 3.2 1B Instruct", chat.Name);
        Assert.Equal(TimeSpan.FromSeconds(300), chat.Ttl);
        Assert.Equal("llama3.2:1b-instruct", config.ResolveModelId("gpt-3.5-turbo"));

        var embedder = config.Models["nomic-embed-text:v1.5"];
        Assert.Contains("--embeddings", embedder.Command);
        Assert.Equal("2048", embedder.Command[embedder.Command.IndexOf("--ctx-size") + 1]);

        var embeddings = config.Groups[ConfigGenerator.EmbeddingGroup];
        Assert.True(embeddings.Persistent);
        Assert.False(embeddings.Exclusive);
        Assert.Equal(["nomic-embed-text:v1.5"], embeddings.Members.ToArray());
        Assert.Equal(["llama3.2:1b-instruct"], config.Groups[ConfigGenerator.ChatGroup].Members.ToArray());
    }

    [Fact]
    public void Engine_serves_a_reranker_with_reranking_not_embeddings()
    {
        var reranker = new DiscoveredModel
        {
            Name = "qwen3-reranker:0.6b",
            Path = "/models/qwen3-reranker-0.6b-q8_0.gguf",
            SizeBytes = 600_000_000,
            Architecture = "qwen3",
            ContextLength = 40960,
            IsEmbedding = true,
            IsReranker = true,
            Pooling = PoolingType.Rank,
        };
        var config = Load(ConfigGenerator.Generate([reranker, Chat], new GeneratorSettings { EngineCommand = ["modelswap"] }));
        var command = config.Models["qwen3-reranker:0.6b"].Command;
        Assert.Contains("--reranking", command);
        Assert.DoesNotContain("--embeddings", command);
        Assert.DoesNotContain("--reranking", config.Models["llama3.2:1b-instruct"].Command);
    }

    [Fact]
    public void Engine_command_passes_a_paired_projector_with_mmproj_as_llama_server_does()
    {
        var withProjector = Chat with { ProjectorPath = "/models/mmproj llama.gguf" };
        var config = Load(ConfigGenerator.Generate([withProjector, Embedder], new GeneratorSettings { EngineCommand = ["modelswap"] }));
        var chat = config.Models["llama3.2:1b-instruct"].Command;
        Assert.Equal("engine", chat[1]);
        Assert.Equal("/models/mmproj llama.gguf", chat[chat.IndexOf("--mmproj") + 1]);
        Assert.DoesNotContain("--mmproj", config.Models["nomic-embed-text:v1.5"].Command);
    }

    [Fact]
    public void Llama_server_config_has_embeddings_projector_gpu_layers_and_the_progress_variable()
    {
        var withProjector = Chat with { ProjectorPath = "/models/mmproj-llama.gguf" };
        var yaml = ConfigGenerator.Generate([withProjector, Embedder],
            new GeneratorSettings { LlamaServerPath = "/opt/llama.cpp/llama-server", GpuLayers = 99, ContextCap = 4096, LlamaServerGpu = true });
        var config = Load(yaml);
        var model = config.Models["llama3.2:1b-instruct"];
        var chat = model.Command;
        Assert.Equal("/opt/llama.cpp/llama-server", chat[0]);
        Assert.DoesNotContain("--jinja", chat); // llama-server's default now
        Assert.Equal("4096", chat[chat.IndexOf("--ctx-size") + 1]);
        Assert.Equal("/models/mmproj-llama.gguf", chat[chat.IndexOf("--mmproj") + 1]);
        Assert.Equal("99", chat[chat.IndexOf("-ngl") + 1]);
        Assert.Contains(model.Environment, e => e.Key == ConfigGenerator.RouterPortVariable);
        var embed = config.Models["nomic-embed-text:v1.5"].Command;
        Assert.Equal("mean", embed[embed.IndexOf("--pooling") + 1]);
        Assert.Contains("--embeddings", embed);
    }

    [Fact]
    public void Overrides_set_context_ttl_args_aliases_and_disable_models()
    {
        var overrides = new Dictionary<string, ModelOverride>
        {
            ["llama3.2:1b-instruct"] = new() { ContextSize = 2048, Ttl = TimeSpan.Zero, ExtraArgs = ["--flash-attn", "on"], Aliases = ["my-llama"] },
            ["nomic-embed-text:v1.5"] = new() { Disabled = true },
        };
        var config = Load(ConfigGenerator.Generate([Chat, Embedder], new GeneratorSettings(), overrides));
        var chat = config.Models["llama3.2:1b-instruct"];
        Assert.Equal("2048", chat.Command[chat.Command.IndexOf("--ctx-size") + 1]);
        Assert.Equal(["--flash-attn", "on"], chat.Command[^2..].ToArray());
        Assert.Equal(TimeSpan.Zero, chat.Ttl);
        Assert.Equal("my-llama", chat.Aliases[0]);
        Assert.False(config.Models.ContainsKey("nomic-embed-text:v1.5"));
    }

    [Theory]
    [InlineData(null, 8192)]
    [InlineData(4096L, 4096)]
    [InlineData(131072L, 8192)]
    public void Context_is_the_smaller_of_trained_and_cap(long? trained, int expected) =>
        Assert.Equal(expected, ConfigGenerator.ContextSizeFor(Chat with { ContextLength = trained }, new GeneratorSettings()));

    [Fact]
    public void Shell_quoting_survives_the_loaders_split()
    {
        var awkward = "/tmp/a b/it's \"quoted\" $HOME\\x.gguf";
        var config = Load($"models:\n  m:\n    cmd: {YamlQuote("server --model " + ShellQuoting.Quote(awkward))}\n    proxy: http://127.0.0.1:9\n");
        Assert.Equal(["server", "--model", awkward], config.Models["m"].Command.ToArray());
    }

    private static string YamlQuote(string value) => "'" + value.Replace("'", "''") + "'";
}
