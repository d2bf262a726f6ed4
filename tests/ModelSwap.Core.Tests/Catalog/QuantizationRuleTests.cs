using ModelSwap.Core.Catalog;

namespace ModelSwap.Core.Tests.Catalog;

/// <summary>The one quantization rule (<see cref="GgufNames.QuantizationOf"/>) the scanner and the Hub both read names with.</summary>
public sealed class QuantizationRuleTests
{
    [Theory]
    // At the end, any separator, any case.
    [InlineData("Qwen2.5-7B-Instruct-Q4_K_M.gguf", "Q4_K_M")]
    [InlineData("llama-3.2-1b-instruct-q4_k_m.gguf", "Q4_K_M")]
    [InlineData("gemma-3-1b-it.Q8_0.gguf", "Q8_0")]
    [InlineData("gemma_2b_it_Q5_K_S.gguf", "Q5_K_S")]
    [InlineData("Phi-3-mini-4k-instruct-q4.gguf", "Q4")]
    // Not at the end: a trailing word after the quant.
    [InlineData("Model-Q4_K_M-imat.gguf", "Q4_K_M")]
    [InlineData("Model_Q4_K_M_imat.gguf", "Q4_K_M")]
    [InlineData("Llama-3-8B-Q4_K_M-GGUF.gguf", "Q4_K_M")]
    [InlineData("mmproj-Q8_0-vision.gguf", "Q8_0")]
    // Split suffixes (gguf-split) are removed first; older ".partNofM" files are read by token too.
    [InlineData("Qwen2.5-7B-Instruct-Q4_K_M-00001-of-00002.gguf", "Q4_K_M")]
    [InlineData("Q8_0/DeepSeek-R1-Q8_0-00003-of-00015.gguf", "Q8_0")]
    [InlineData("model.Q8_0.part1of2", "Q8_0")]
    [InlineData("llama-2-70b.Q5_K_M.gguf-split-a", "Q5_K_M")]
    // The quant families.
    [InlineData("Llama-3.2-1B-Instruct-IQ4_XS.gguf", "IQ4_XS")]
    [InlineData("Llama-3.2-1B-Instruct-IQ2_XXS.gguf", "IQ2_XXS")]
    [InlineData("Qwen3-8B-IQ4_NL.gguf", "IQ4_NL")]
    [InlineData("DeepSeek-V3-IQ2_KS.gguf", "IQ2_KS")]
    [InlineData("Phi-3-mini-4k-instruct-Q4_0_4_4.gguf", "Q4_0_4_4")]
    [InlineData("Qwen3-30B-A3B-UD-Q4_K_XL.gguf", "UD-Q4_K_XL")]
    [InlineData("Qwen3-30B-A3B-ud-iq1_m.gguf", "UD-IQ1_M")]
    [InlineData("Qwen3-8B-Q6_K_L.gguf", "Q6_K_L")]
    [InlineData("TriLM-3.9B-TQ1_0.gguf", "TQ1_0")]
    [InlineData("gpt-oss-20b-MXFP4.gguf", "MXFP4")]
    [InlineData("gpt-oss-120b-MXFP4_MOE-00001-of-00003.gguf", "MXFP4_MOE")]
    [InlineData("gemma-3-4b-it-BF16.gguf", "BF16")]
    [InlineData("model.f16.gguf", "F16")]
    [InlineData("model-fp16.gguf", "F16")]
    [InlineData("bge-m3-F32.gguf", "F32")]
    [InlineData("/models/sub dir/Llama-3.2-1B-Instruct-bf16.GGUF", "BF16")]
    // The last token wins.
    [InlineData("Model-Q8_0-then-Q4_K_M.gguf", "Q4_K_M")]
    // No whole token: nothing, never a piece of a word.
    [InlineData("Qwen2-VL-7B-Instruct.gguf", null)]
    [InlineData("QwQ-32B.gguf", null)]
    [InlineData("Model-XQ4_K_M.gguf", null)]
    [InlineData("Model-Q4_K_Mx.gguf", null)]
    [InlineData("gpt2.gguf", null)]
    public void The_quantization_is_the_last_whole_token_of_the_name(string fileName, string? expected) =>
        Assert.Equal(expected, GgufNames.QuantizationOf(fileName));

    [Theory]
    [InlineData("Qwen2.5-7B-Instruct-Q4_K_M", "Qwen2.5-7B-Instruct")]
    [InlineData("Model-Q4_K_M-imat", "Model-imat")]
    [InlineData("Llama-3-8B-Q4_K_M-GGUF", "Llama-3-8B-GGUF")]
    [InlineData("Qwen3-30B-A3B-UD-Q4_K_XL", "Qwen3-30B-A3B")]
    [InlineData("gpt2", "gpt2")]
    public void The_name_loses_exactly_the_token_that_was_read(string stem, string expected) =>
        Assert.Equal(expected, GgufNames.WithoutQuantization(stem));
}
