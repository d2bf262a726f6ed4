using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Hub.Tests.HuggingFace;

public sealed class GgufFileNamesTests
{
    [Theory]
    [InlineData("Qwen2.5-7B-Instruct-Q4_K_M.gguf", "Q4_K_M")]
    [InlineData("qwen2.5-7b-instruct-q8_0.gguf", "Q8_0")]
    [InlineData("Llama-3.2-1B-Instruct-IQ4_XS.gguf", "IQ4_XS")]
    [InlineData("Llama-3.2-1B-Instruct-IQ2_XXS.gguf", "IQ2_XXS")]
    [InlineData("gemma-3-4b-it-BF16.gguf", "BF16")]
    [InlineData("model.f16.gguf", "F16")]
    [InlineData("gpt-oss-20b-MXFP4.gguf", "MXFP4")]
    [InlineData("Qwen3-30B-A3B-UD-Q4_K_XL.gguf", "UD-Q4_K_XL")]
    [InlineData("Q8_0/DeepSeek-R1-Q8_0-00001-of-00015.gguf", "Q8_0")]
    [InlineData("Phi-3-mini-4k-instruct-Q4_0_4_4.gguf", "Q4_0_4_4")]
    [InlineData("Meta-Llama-3-8B-Instruct-Q6_K.gguf", "Q6_K")]
    [InlineData("Qwen2-VL-7B-Instruct.gguf", null)]
    public void Quantization_is_read_from_the_file_name(string file, string? expected) =>
        Assert.Equal(expected, GgufFileNames.Quantization(file));

    [Fact]
    public void Split_parts_are_recognised()
    {
        Assert.True(GgufFileNames.TryParseSplit("dir/Model-Q8_0-00002-of-00003.gguf", out var name, out var part, out var count));
        Assert.Equal(("Model-Q8_0", 2, 3), (name, part, count));
        Assert.False(GgufFileNames.TryParseSplit("Model-Q8_0.gguf", out name, out part, out count));
        Assert.Equal(("Model-Q8_0", 1, 1), (name, part, count));
    }

    [Theory]
    [InlineData("UD-Q4_K_XL", "q4_k_xl", true)]
    [InlineData("Q4_K_M", "q4_k_m", true)]
    [InlineData("Q4_K_M", "Q4_K_S", false)]
    public void Quant_matching_ignores_case_and_the_UD_prefix(string quant, string wanted, bool matches) =>
        Assert.Equal(matches, GgufFileNames.QuantizationMatches(quant, wanted));

    [Fact]
    public void Mmproj_files_are_projectors()
    {
        Assert.True(GgufFileNames.IsProjector("sub/mmproj-model-f16.gguf"));
        Assert.False(GgufFileNames.IsProjector("model-Q4_K_M.gguf"));
    }
}
