using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Hub.Tests.HuggingFace;

public sealed class GgufFileNamesTests
{
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
