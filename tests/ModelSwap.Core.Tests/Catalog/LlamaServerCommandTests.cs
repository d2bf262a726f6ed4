using ModelSwap.Core.Catalog;

namespace ModelSwap.Core.Tests.Catalog;

/// <summary>The llama-server command line for each kind of model, on CPU and GPU builds.</summary>
public sealed class LlamaServerCommandTests
{
    private const string Server = "/opt/llama/llama-server";
    private static readonly GeneratorSettings Cpu = new() { LlamaServerPath = Server };
    private static readonly GeneratorSettings Gpu = Cpu with { LlamaServerGpu = true };

    private static readonly DiscoveredModel Chat = new()
    {
        Name = "qwen2.5:7b-instruct", Path = "/m/qwen2.5-7b-instruct-q4_k_m.gguf", Architecture = "qwen2", ContextLength = 32768, IsInstruct = true,
    };

    private static readonly DiscoveredModel Draft = new()
    {
        Name = "qwen2.5:0.5b-instruct", Path = "/m/qwen2.5-0.5b-instruct-q8_0.gguf", Architecture = "qwen2", ContextLength = 32768, IsInstruct = true,
    };

    private static List<string> Args(DiscoveredModel model, GeneratorSettings settings, ModelOverride? own = null, DiscoveredModel? draft = null, int context = 4096) =>
        [.. LlamaServerCommand.Arguments(Server, model, own ?? new ModelOverride(), settings, context, draft)];

    private static string After(List<string> args, string flag)
    {
        var at = args.IndexOf(flag);
        Assert.True(at >= 0, $"{flag} missing from: {string.Join(' ', args)}");
        return args[at + 1];
    }

    [Fact]
    public void Chat_model_on_a_cpu_build_gets_no_gpu_embedding_or_template_flags()
    {
        var args = Args(Chat, Cpu with { GpuLayers = 20 }, new ModelOverride { GpuLayers = 10 });
        Assert.Equal([Server, "--host", "127.0.0.1", "--port", "${PORT}", "-m", Chat.Path, "--ctx-size", "4096", "--alias", Chat.Name], args);
    }

    [Fact]
    public void Gpu_build_offloads_every_layer_unless_models_yaml_says_how_many()
    {
        Assert.Equal("999", After(Args(Chat, Gpu), "-ngl"));
        Assert.Equal("20", After(Args(Chat, Gpu with { GpuLayers = 20 }), "-ngl"));
        Assert.Equal("10", After(Args(Chat, Gpu with { GpuLayers = 20 }, new ModelOverride { GpuLayers = 10 }), "-ngl"));
    }

    [Theory]
    [InlineData(PoolingType.Mean)]
    [InlineData(PoolingType.Cls)]
    [InlineData(PoolingType.Last)]
    public void Embedding_model_that_declares_its_pooling_keeps_it_and_batches_its_whole_context(PoolingType pooling)
    {
        var model = new DiscoveredModel { Name = "bge:small", Path = "/m/bge-small.gguf", Architecture = "bert", IsEmbedding = true, Pooling = pooling };
        var args = Args(model, Cpu, context: 512);
        Assert.Contains("--embeddings", args);
        Assert.DoesNotContain("--pooling", args);
        Assert.Equal("512", After(args, "-ub"));
        Assert.Equal("512", After(args, "-b"));
    }

    [Theory]
    [InlineData("bge:base-en", "bert", "cls")]
    [InlineData("mxbai-embed:large", "bert", "cls")]
    [InlineData("nomic-embed-text:v1.5", "nomic-bert", "mean")]
    [InlineData("all-minilm:l6-v2", "bert", "mean")]
    [InlineData("qwen3-embedding:0.6b", "qwen3", "last")]
    [InlineData("something:else", "bert", "mean")]
    public void Embedding_model_without_a_declared_pooling_gets_its_familys_default(string name, string arch, string expected)
    {
        var model = new DiscoveredModel { Name = name, Path = "/m/x.gguf", Architecture = arch, IsEmbedding = true };
        Assert.Equal(expected, After(Args(model, Cpu), "--pooling"));
    }

    [Fact]
    public void Reranker_runs_with_reranking_and_a_batch_as_big_as_its_context()
    {
        var model = new DiscoveredModel
        {
            Name = "bge-reranker:v2-m3", Path = "/m/bge-reranker-v2-m3.gguf", Architecture = "bert", IsEmbedding = true, IsReranker = true, Pooling = PoolingType.Rank,
        };
        var args = Args(model, Cpu, context: 8192);
        Assert.Contains("--reranking", args);
        Assert.DoesNotContain("--embeddings", args);
        Assert.DoesNotContain("--pooling", args);
        Assert.Equal("8192", After(args, "-ub"));
    }

    [Fact]
    public void Projector_is_passed_with_mmproj()
    {
        var args = Args(Chat with { ProjectorPath = "/m/mmproj-qwen.gguf" }, Cpu);
        Assert.Equal("/m/mmproj-qwen.gguf", After(args, "--mmproj"));
    }

    [Fact]
    public void Draft_adds_its_file_and_on_a_gpu_build_its_layers()
    {
        var cpu = Args(Chat, Cpu, draft: Draft);
        Assert.Equal(Draft.Path, After(cpu, "-md"));
        Assert.DoesNotContain("-ngld", cpu);
        Assert.DoesNotContain("--spec-type", cpu); // an older build: -md alone drafts
        var gpu = Args(Chat, Gpu with { GpuLayers = 30, LlamaServerSpecType = true }, draft: Draft);
        Assert.Equal("30", After(gpu, "-ngld"));
        Assert.Equal("draft-simple", After(gpu, "--spec-type"));
    }

    [Fact]
    public void Draft_named_in_models_yaml_is_resolved_by_name_or_alias_and_only_for_llama_server()
    {
        var aliased = Draft with { Aliases = ["tiny-qwen"] };
        Assert.Equal(aliased, ConfigGenerator.DraftFor(new ModelOverride { Draft = "tiny-qwen" }, [Chat, aliased]));
        Assert.Null(ConfigGenerator.DraftFor(new ModelOverride { Draft = "nope" }, [Chat, aliased]));

        var overrides = new Dictionary<string, ModelOverride> { [Chat.Name] = new() { Draft = Draft.Name } };
        var withServer = ConfigGenerator.Generate([Chat, Draft], Cpu, overrides);
        Assert.Contains($"-md {Draft.Path}", withServer, StringComparison.Ordinal);
        var withEngine = ConfigGenerator.Generate([Chat, Draft], new GeneratorSettings(), overrides);
        Assert.DoesNotContain("-md", withEngine, StringComparison.Ordinal);
    }
}
