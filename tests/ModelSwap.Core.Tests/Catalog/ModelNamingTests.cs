using ModelSwap.Core.Catalog;
using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Core.Tests.Catalog;

public sealed class ModelNamingTests
{
    [Theory]
    // The examples.
    [InlineData("llama-3.2-1b-instruct-q4_k_m.gguf", "llama3.2:1b-instruct")]
    [InlineData("Qwen2.5-7B-Instruct-Q4_K_M.gguf", "qwen2.5:7b-instruct")]
    [InlineData("gemma-3-1b-it.Q4_K_M.gguf", "gemma3:1b-it")]
    [InlineData("Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", "llama3.1:8b-instruct")]
    [InlineData("mistral-7b-instruct-v0.3.Q4_K_M.gguf", "mistral:7b-instruct-v0.3")]
    [InlineData("nomic-embed-text-v1.5.Q8_0.gguf", "nomic-embed-text:v1.5")]
    // Real-world names.
    [InlineData("Phi-3-mini-4k-instruct-q4.gguf", "phi3:mini-4k-instruct")]
    [InlineData("Phi-3.5-mini-instruct-Q4_K_M.gguf", "phi3.5:mini-instruct")]
    [InlineData("DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf", "deepseek-r1-distill-qwen:1.5b")]
    [InlineData("tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf", "tinyllama:1.1b-chat-v1.0")]
    [InlineData("Llama-3.2-3B-Instruct-Q8_0.gguf", "llama3.2:3b-instruct")]
    [InlineData("qwen2.5-coder-7b-instruct-q5_k_m.gguf", "qwen2.5-coder:7b-instruct")]
    [InlineData("SmolLM2-135M-Instruct-Q8_0.gguf", "smollm2:135m-instruct")]
    [InlineData("SmolLM2-135M-Instruct.gguf", "smollm2:135m-instruct")]
    [InlineData("bge-small-en-v1.5-f16.gguf", "bge-small-en:v1.5")]
    [InlineData("mxbai-embed-large-v1-f16.gguf", "mxbai-embed-large:v1")]
    [InlineData("gpt-oss-20b-mxfp4.gguf", "gpt-oss:20b")]
    [InlineData("Mixtral-8x7B-Instruct-v0.1.Q4_K_M.gguf", "mixtral:8x7b-instruct-v0.1")]
    [InlineData("Qwen3-30B-A3B-Q4_K_M.gguf", "qwen3:30b-a3b")]
    [InlineData("gemma-3n-E4B-it-Q4_K_M.gguf", "gemma3n:e4b-it")]
    [InlineData("gemma-2-9b-it-IQ4_XS.gguf", "gemma2:9b-it")]
    [InlineData("Llama-2-7b-chat.Q5_K_S.gguf", "llama2:7b-chat")]
    [InlineData("codellama-7b-instruct.Q4_K_M.gguf", "codellama:7b-instruct")]
    [InlineData("granite-3.1-8b-instruct-Q4_K_M.gguf", "granite3.1:8b-instruct")]
    [InlineData("Mistral-Nemo-Instruct-2407-Q4_K_M.gguf", "mistral-nemo:instruct-2407")]
    [InlineData("Qwen2.5-VL-7B-Instruct-UD-Q4_K_XL.gguf", "qwen2.5-vl:7b-instruct")]
    [InlineData("Qwen3-Embedding-0.6B-Q8_0.gguf", "qwen3-embedding:0.6b")]
    [InlineData("all-MiniLM-L6-v2-Q8_0.gguf", "all-minilm-l6:v2")]
    [InlineData("DeepSeek-R1-Distill-Llama-70B-Q4_K_M-00001-of-00002.gguf", "deepseek-r1-distill-llama:70b")]
    [InlineData("Qwen2.5-72B-Instruct-Q4_K_M-00003-of-00012.gguf", "qwen2.5:72b-instruct")]
    [InlineData("/models/sub dir/Llama-3.2-1B-Instruct-BF16.GGUF", "llama3.2:1b-instruct")]
    [InlineData("stablelm-2-zephyr-1_6b-Q4_0.gguf", "stablelm2:zephyr-1-6b")]
    [InlineData("gpt2.gguf", "gpt2:latest")]
    // The quantization token goes wherever it stands (these read "8b-q4-k-m" and "model-q4-k-m-imat" before).
    [InlineData("Llama-3-8B-Q4_K_M-GGUF.gguf", "llama3:8b")]
    [InlineData("Qwen2.5-7B-Instruct-Q4_K_M-imat.gguf", "qwen2.5:7b-instruct-imat")]
    public void FileNamesBecomeFamilyColonTag(string fileName, string expected) =>
        Assert.Equal(expected, ModelNaming.NameFor(fileName));

    [Theory]
    [InlineData("llama-3.2-1b-instruct-q4_k_m.gguf", "q4_k_m")]
    [InlineData("gemma-3-1b-it.Q8_0.gguf", "q8_0")]
    [InlineData("gemma-2-9b-it-IQ4_XS.gguf", "iq4_xs")]
    [InlineData("Qwen2.5-VL-7B-Instruct-UD-Q4_K_XL.gguf", "ud-q4_k_xl")]
    [InlineData("bge-small-en-v1.5-f16.gguf", "f16")]
    [InlineData("Llama-3.2-1B-Instruct-BF16.gguf", "bf16")]
    [InlineData("gpt-oss-20b-mxfp4.gguf", "mxfp4")]
    [InlineData("model-Q4_K_M-00001-of-00003.gguf", "q4_k_m")]
    [InlineData("TriLM-TQ1_0.gguf", "tq1_0")]
    [InlineData("SmolLM2-135M-Instruct.gguf", null)]
    [InlineData("qwen2.5-7b.gguf", null)]
    // Not at the end: read the way the Hub reads a repo's files (GgufNames.QuantizationOf).
    [InlineData("Model-Q4_K_M-imat.gguf", "q4_k_m")]
    [InlineData("Llama-3-8B-Q4_K_M-GGUF.gguf", "q4_k_m")]
    public void QuantizationIsReadFromTheName(string fileName, string? expected) =>
        Assert.Equal(expected, ModelNaming.QuantizationOf(fileName));

    [Fact]
    public void QuantizationFallsBackToTheHeaderFileType()
    {
        var header = Header(("general.file_type", GgufValue.UInt32(15)));
        Assert.Equal("q4_k_m", ModelNaming.QuantizationOf("SmolLM2-135M-Instruct.gguf", header));
        Assert.Equal("q8_0", ModelNaming.QuantizationOf("SmolLM2-135M-Instruct-Q8_0.gguf", header)); // the name wins
    }

    [Fact]
    public void MetadataFillsOnlyWhatTheFileNameLacks()
    {
        var header = Header(
            ("general.basename", GgufValue.String("Llama-3.2")),
            ("general.size_label", GgufValue.String("1B")),
            ("general.finetune", GgufValue.String("Instruct")));

        Assert.Equal("llama3.2:1b-instruct", ModelNaming.NameFor("ggml-model-Q4_K_M.gguf", header)); // no family, no tag
        Assert.Equal("llama3.2:7b-q", ModelNaming.NameFor("7B-q.gguf", header)); // family from metadata, tag from name
        Assert.Equal("smollm2:1b-instruct", ModelNaming.NameFor("SmolLM2.gguf", header)); // tag from metadata
        Assert.Equal("qwen2.5:7b-instruct", ModelNaming.NameFor("Qwen2.5-7B-Instruct-Q4_K_M.gguf", header)); // nothing lacking
        Assert.Equal("model:latest", ModelNaming.NameFor("ggml-model-Q4_K_M.gguf"));
        Assert.Equal("model:latest", ModelNaming.NameFor("Q4_K_M.gguf"));

        var named = Header(("general.name", GgufValue.String("Phi 3.5 Mini Instruct")));
        Assert.Equal("phi3.5:mini-instruct", ModelNaming.NameFor("model.gguf", named));
    }

    [Fact]
    public void CollidingNamesAllGetTheirQuantizationRegardlessOfInputOrder()
    {
        var files = new (string, GgufFile?)[]
        {
            ("/m/b/llama-3.2-1b-instruct-q8_0.gguf", null),
            ("/m/a/Llama-3.2-1B-Instruct-Q4_K_M.gguf", null),
            ("/m/qwen2.5-7b-instruct-q4_k_m.gguf", null),
        };
        var names = ModelNaming.AssignNames(files);
        Assert.Equal("llama3.2:1b-instruct-q8_0", names["/m/b/llama-3.2-1b-instruct-q8_0.gguf"]);
        Assert.Equal("llama3.2:1b-instruct-q4_k_m", names["/m/a/Llama-3.2-1B-Instruct-Q4_K_M.gguf"]);
        Assert.Equal("qwen2.5:7b-instruct", names["/m/qwen2.5-7b-instruct-q4_k_m.gguf"]); // no collision, no suffix

        Assert.Equal(names, ModelNaming.AssignNames(files.Reverse()));
        Assert.Equal(names, ModelNaming.AssignNames([files[1], files[2], files[0]]));
    }

    [Fact]
    public void IdenticalFilesInTwoFoldersAreNumberedInPathOrderAndNeverStealAName()
    {
        var names = ModelNaming.AssignNames(
        [
            ("/z/bge-small-en-v1.5-f16.gguf", null),
            ("/a/bge-small-en-v1.5-f16.gguf", null),
            ("/a/bge-small-en-v1.5-f16-2.Q8_0.gguf", null), // naturally "bge-small-en:v1.5-f16-2"
            ("/a/bge-small-en-v1.5-f16-copy.gguf", null), // the quant is read wherever it stands: "bge-small-en:v1.5-copy"
            ("/a/gpt2.gguf", null),
            ("/b/gpt2-Q8_0.gguf", null),
        ]);
        Assert.Equal("bge-small-en:v1.5-f16", names["/a/bge-small-en-v1.5-f16.gguf"]);
        Assert.Equal("bge-small-en:v1.5-f16-2", names["/a/bge-small-en-v1.5-f16-2.Q8_0.gguf"]);
        Assert.Equal("bge-small-en:v1.5-copy", names["/a/bge-small-en-v1.5-f16-copy.gguf"]);
        Assert.Equal("bge-small-en:v1.5-f16-3", names["/z/bge-small-en-v1.5-f16.gguf"]);
        Assert.Equal("gpt2:latest", names["/a/gpt2.gguf"]); // no quantization known: keeps its name
        Assert.Equal("gpt2:q8_0", names["/b/gpt2-Q8_0.gguf"]);
        Assert.Equal(names.Count, names.Values.Distinct().Count());
    }

    [Fact]
    public void CollisionsUseTheHeaderFileTypeWhenTheNameHasNoQuantization()
    {
        var names = ModelNaming.AssignNames(
        [
            ("/a/SmolLM2-135M-Instruct.gguf", Header(("general.file_type", GgufValue.UInt32(1)))),
            ("/b/SmolLM2-135M-Instruct.gguf", Header(("general.file_type", GgufValue.UInt32(7)))),
        ]);
        Assert.Equal("smollm2:135m-instruct-f16", names["/a/SmolLM2-135M-Instruct.gguf"]);
        Assert.Equal("smollm2:135m-instruct-q8_0", names["/b/SmolLM2-135M-Instruct.gguf"]);
    }

    private static GgufFile Header(params (string Key, GgufValue Value)[] entries) =>
        new(3, entries.ToDictionary(e => e.Key, e => e.Value), [], 32, 0);
}
