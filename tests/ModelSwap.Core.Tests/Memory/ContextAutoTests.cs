using ModelSwap.Core.Catalog;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Core.Memory;

namespace ModelSwap.Core.Tests.Memory;

/// <summary>ctx-size: auto — the largest context ≤ trained and cap that fits the budget beside the persistent models.</summary>
public sealed class ContextAutoTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly string _dir = Directory.CreateTempSubdirectory("modelswap-ctx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private DiscoveredModel Bench(string name, bool embedding = false, int trained = 32768)
    {
        var path = Path.Combine(_dir, name + ".gguf");
        TinyModelBuilder.Write(path, new TinyModelOptions { Size = TinyModelSize.Bench, ContextLength = trained, Embedding = embedding });
        return new DiscoveredModel { Name = name, Path = path, Files = [path], ContextLength = trained, IsEmbedding = embedding };
    }

    private static long NeedAt(DiscoveredModel model, int context) =>
        FootprintEstimator.Estimate(ModelShapeReader.Read(model.Path, null),
            new ServerCommand { Kind = ServerKind.Engine, ContextSize = context, Embeddings = model.IsEmbedding }, gpuPresent: false).TotalBytes;

    [Fact]
    public void Picks_the_largest_context_that_fits_the_budget()
    {
        var chat = Bench("chat");
        var settings = new GeneratorSettings { ContextCap = 32768, MemoryBudget = 600 * MiB };

        var choice = ContextPlanner.Plan([chat], settings, new Dictionary<string, ModelOverride>())["chat"];

        Assert.True(choice.Auto);
        Assert.InRange(choice.Size, ContextSizer.Step, 32768 - 1);
        Assert.Equal(0, choice.Size % ContextSizer.Step);
        Assert.True(NeedAt(chat, choice.Size) <= 600 * MiB);
        Assert.True(NeedAt(chat, choice.Size + ContextSizer.Step) > 600 * MiB);
        Assert.Contains("largest context that fits the 600 MiB memory budget", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_roomy_budget_gives_the_trained_context_up_to_the_cap()
    {
        var chat = Bench("chat");
        var choice = ContextPlanner.Plan([chat], new GeneratorSettings { ContextCap = 8192, MemoryBudget = 64L * 1024 * MiB }, new Dictionary<string, ModelOverride>())["chat"];
        Assert.Equal(8192, choice.Size);
        Assert.Contains("capped at contextCap 8192", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Persistent_models_are_left_their_room()
    {
        var chat = Bench("chat");
        var embed = Bench("embed", embedding: true, trained: 2048);
        var settings = new GeneratorSettings { ContextCap = 32768, MemoryBudget = 900 * MiB };
        var alone = ContextPlanner.Plan([chat], settings, new Dictionary<string, ModelOverride>())["chat"];
        var beside = ContextPlanner.Plan([chat, embed], settings, new Dictionary<string, ModelOverride>());

        Assert.True(beside["chat"].Size < alone.Size, $"{beside["chat"].Size} should be below {alone.Size}");
        Assert.Contains("beside persistent models", beside["chat"].Reason, StringComparison.Ordinal);
        Assert.True(NeedAt(chat, beside["chat"].Size) + NeedAt(embed, 2048) <= 900 * MiB);
        Assert.True(NeedAt(chat, beside["chat"].Size + ContextSizer.Step) + NeedAt(embed, 2048) > 900 * MiB);
    }

    [Fact]
    public void A_context_set_in_models_yaml_is_kept_and_auto_is_the_default()
    {
        var overrides = ModelOverridesFile.Parse("""
            settings:
              memoryBudget: 600MiB
            models:
              chat:
                ctx-size: 2048
              other:
                ctx-size: auto
              third:
                ctxSize: auto
            """, "models.yaml");
        Assert.Empty(overrides.Errors);
        Assert.Equal(600 * MiB, overrides.MemoryBudget);
        Assert.Equal(2048, overrides.Models["chat"].ContextSize);
        Assert.Null(overrides.Models["other"].ContextSize);
        Assert.Null(overrides.Models["third"].ContextSize);

        var chat = Bench("chat");
        var settings = new GeneratorSettings { ContextCap = 32768, MemoryBudget = overrides.MemoryBudget };
        var yaml = ConfigGenerator.Generate([chat], settings, overrides.Models);
        Assert.Contains("--ctx-size 2048", yaml, StringComparison.Ordinal);
        Assert.Contains("ctx-size set in models.yaml", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_values_in_models_yaml_are_reported_with_lines()
    {
        var overrides = ModelOverridesFile.Parse("""
            settings:
              memoryBudget: plenty
            models:
              chat:
                ctx-size: huge
            """, "models.yaml");
        Assert.Contains(overrides.Errors, e => e.StartsWith("models.yaml:2:", StringComparison.Ordinal) && e.Contains("memoryBudget", StringComparison.Ordinal));
        Assert.Contains(overrides.Errors, e => e.StartsWith("models.yaml:5:", StringComparison.Ordinal) && e.Contains("ctx-size", StringComparison.Ordinal));
    }

    [Fact]
    public void Largest_is_a_correct_search()
    {
        for (var limit = 0; limit < 40; limit++)
        {
            var result = ContextSizer.Largest(8192, limit, ctx => ctx / 256);
            Assert.Equal(limit < 1 ? null : Math.Min(limit, 32) * 256, result);
        }
    }
}
