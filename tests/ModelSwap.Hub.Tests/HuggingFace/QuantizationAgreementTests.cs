using ModelSwap.Core.Catalog;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Hub.HuggingFace;
using ModelSwap.Testing;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Hub.Tests.HuggingFace;

/// <summary>
/// A repo listing (variant labels, what <c>repo:QUANT</c> matches) and a scan of the same file names on
/// disk (<c>models list</c>, <c>/api/models</c>) give every file the same quantization: one rule, two faces.
/// </summary>
public sealed class QuantizationAgreementTests : HubTestBase
{
    private static readonly string[] Names =
    [
        "Model-Q4_K_M-imat.gguf",
        "Qwen2.5-7B-Instruct-Q4_K_M-00001-of-00002.gguf",
        "Qwen2.5-7B-Instruct-Q4_K_M-00002-of-00002.gguf",
        "Llama-3-8B-Q4_K_M-GGUF.gguf",
        "llama-3.2-1b-instruct-q4_k_m.gguf",
        "Llama-3.2-1B-Instruct-IQ4_XS.gguf",
        "Phi-3-mini-4k-instruct-Q4_0_4_4.gguf",
        "Qwen3-30B-A3B-UD-Q4_K_XL.gguf",
        "TriLM-3.9B-TQ1_0.gguf",
        "gpt-oss-20b-MXFP4.gguf",
        "gemma-3-4b-it-BF16.gguf",
        "bge-small-en-v1.5-f16.gguf",
        "bge-m3-F32.gguf",
    ];

    [Fact]
    public async Task A_hub_listing_and_a_local_scan_of_the_same_names_agree()
    {
        var repo = Mirror.AddRepo("org/Agree-GGUF");
        foreach (var (name, i) in Names.Select((n, i) => (n, i)))
        {
            repo.AddFile(name, MirrorFile.RandomGguf(100 + i, i));
            // Every local header says q8_0: the name must still win, as it does for the Hub, which sees no header.
            SmallGguf.Write(Path.Combine(ModelsDir, name), metadata: [("general.file_type", GgufValue.UInt32(7))]);
        }
        using var client = new HuggingFaceClient(Hub());

        var listed = (await client.ListFilesAsync("org/Agree-GGUF")).Variants
            .ToDictionary(v => Path.GetFileName(v.Primary.Path), v => v.Quantization);
        var scan = new ModelScanner(new ModelScannerOptions { Directories = [ModelsDir], BundledDirectory = null, SettleTime = TimeSpan.Zero }).Scan();
        var scanned = scan.Models.ToDictionary(m => Path.GetFileName(m.Path), m => m.Quantization);

        Assert.Empty(scan.Warnings);
        Assert.Equal(listed.Keys.Order(StringComparer.Ordinal), scanned.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(12, listed.Count); // the split model is one
        foreach (var (file, hub) in listed)
        {
            var local = scanned[file];
            Assert.NotNull(hub);
            // The scanner spells it lower case (as in model names), the Hub as repos do; the value is one.
            Assert.Equal(hub, local?.ToUpperInvariant());
            Assert.True(GgufFileNames.QuantizationMatches(hub, local!), $"{file}: {hub} vs {local}");
        }
        Assert.Equal("Q4_K_M", listed["Model-Q4_K_M-imat.gguf"]);
        Assert.Equal("UD-Q4_K_XL", listed["Qwen3-30B-A3B-UD-Q4_K_XL.gguf"]);
    }

    [Fact]
    public async Task A_pull_by_tag_finds_the_variant_whose_quant_is_not_at_the_end()
    {
        var repo = Mirror.AddRepo("org/Imat-GGUF");
        repo.AddFile("Model-Q4_K_M-imat.gguf", MirrorFile.RandomGguf(100, 1));
        repo.AddFile("Model-Q8_0-imat.gguf", MirrorFile.RandomGguf(200, 2));
        using var client = new HuggingFaceClient(Hub());

        var files = await client.ListFilesAsync("org/Imat-GGUF");

        Assert.Equal(["Q4_K_M", "Q8_0"], files.Variants.Select(v => v.Quantization).Order(StringComparer.Ordinal));
        Assert.Equal("Model-Q8_0-imat.gguf", PullPlanner.ChooseVariant(files, ModelReference.Parse("org/Imat-GGUF:q8_0")).Primary.Path);
        Assert.Equal("Model-Q4_K_M-imat.gguf", PullPlanner.ChooseVariant(files, ModelReference.Parse("org/Imat-GGUF")).Primary.Path); // the default preference
    }
}
