using ModelSwap.Core.Catalog;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Testing;

namespace ModelSwap.Core.Tests.Catalog;

public sealed class DraftSuggestionsTests : IDisposable
{
    private static readonly TokenizerSignature Qwen = new("gpt2", "qwen2", 151_936, 151_643, 151_645);
    private readonly string _root = Directory.CreateTempSubdirectory("modelswap-drafts-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static DiscoveredModel Model(string name, long parameters, TokenizerSignature? tokenizer = null, string arch = "qwen2", bool embedding = false) =>
        new() { Name = name, Path = "/m/" + name, ParameterCount = parameters, Tokenizer = tokenizer ?? Qwen, Architecture = arch, IsEmbedding = embedding, IsInstruct = !embedding };

    [Fact]
    public void Smaller_models_of_the_family_with_the_same_vocabulary_are_suggested_family_first_then_smallest()
    {
        var target = Model("qwen2.5:7b-instruct", 7_600_000_000);
        DiscoveredModel[] models =
        [
            target,
            Model("qwen2.5:1.5b-instruct", 1_540_000_000),
            Model("qwen2.5:0.5b-instruct", 494_000_000),
            Model("qwen2.5-coder:0.5b", 494_000_000), // same architecture and vocabulary, other family name
            Model("qwen2.5:14b-instruct", 14_700_000_000), // bigger
            Model("llama3.2:1b-instruct", 1_240_000_000, new TokenizerSignature("gpt2", "llama-bpe", 128_256, 128_000, 128_009), arch: "llama"),
            Model("qwen3-embedding:0.6b", 600_000_000, arch: "qwen3", embedding: true),
            Model("qwen2.5:0.5b-other-vocab", 494_000_000, Qwen with { VocabularySize = 151_665 }),
        ];
        var suggested = DraftSuggestions.For(target, models, _ => ["a", "b"]).Select(m => m.Name);
        Assert.Equal(["qwen2.5:0.5b-instruct", "qwen2.5:1.5b-instruct", "qwen2.5-coder:0.5b"], suggested);
    }

    [Fact]
    public void A_vocabulary_that_differs_in_any_token_rules_a_model_out()
    {
        var target = Model("qwen2.5:7b-instruct", 7_600_000_000);
        var small = Model("qwen2.5:0.5b-instruct", 494_000_000);
        var tokens = new Dictionary<string, IReadOnlyList<string>> { [target.Path] = ["a", "b"], [small.Path] = ["a", "c"] };
        Assert.Empty(DraftSuggestions.For(target, [target, small], p => tokens[p]));
    }

    [Fact]
    public void Generated_models_sharing_a_vocabulary_are_read_from_their_files()
    {
        Directory.CreateDirectory(Path.Combine(_root, "models"));
        string Write(string file, string size)
        {
            var path = Path.Combine(_root, "models", file);
            TinyModelBuilder.Write(path, new TinyModelOptions { ExtraMetadata = [new("general.size_label", GgufValue.String(size))] });
            SmallGguf.Age(path);
            return path;
        }
        Write("tiny-1b-instruct.gguf", "1B");
        Write("tiny-100m-instruct.gguf", "100M");
        var scan = new ModelScanner(new ModelScannerOptions { Directories = [Path.Combine(_root, "models")], SettleTime = TimeSpan.Zero }).Scan();
        var big = scan.Models.Single(m => m.ParameterCount == 1_000_000_000);
        Assert.NotNull(big.Tokenizer);
        Assert.Equal(512, big.Tokenizer!.VocabularySize);
        Assert.Equal(["tiny:100m-instruct"], DraftSuggestions.For(big, scan.Models).Select(m => m.Name));
    }
}
