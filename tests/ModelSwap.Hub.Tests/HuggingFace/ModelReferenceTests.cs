using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Hub.Tests.HuggingFace;

public sealed class ModelReferenceTests
{
    [Theory]
    [InlineData("bartowski/Qwen2.5-7B-Instruct-GGUF", "bartowski/Qwen2.5-7B-Instruct-GGUF", null, null, "main")]
    [InlineData("bartowski/Qwen2.5-7B-Instruct-GGUF:Q4_K_M", "bartowski/Qwen2.5-7B-Instruct-GGUF", "Q4_K_M", null, "main")]
    [InlineData("hf.co/unsloth/Qwen3-8B-GGUF:UD-Q4_K_XL", "unsloth/Qwen3-8B-GGUF", "UD-Q4_K_XL", null, "main")]
    [InlineData("hf.co/unsloth/Qwen3-8B-GGUF:latest", "unsloth/Qwen3-8B-GGUF", null, null, "main")]
    [InlineData("org/repo/sub/dir/model-Q8_0.gguf", "org/repo", null, "sub/dir/model-Q8_0.gguf", "main")]
    [InlineData("https://huggingface.co/org/repo/blob/v2/model-Q8_0.gguf", "org/repo", null, "model-Q8_0.gguf", "v2")]
    [InlineData("https://huggingface.co/org/repo/resolve/main/model.gguf?download=true", "org/repo", null, "model.gguf", "main")]
    [InlineData("https://huggingface.co/org/repo", "org/repo", null, null, "main")]
    [InlineData("https://huggingface.co/org/repo/tree/dev", "org/repo", null, null, "dev")]
    public void Parses_the_usual_forms(string text, string repo, string? quant, string? file, string revision)
    {
        var reference = ModelReference.Parse(text);
        Assert.Equal(new ModelReference(repo, quant, file, revision), reference);
    }

    [Fact]
    public void Explicit_revision_wins_for_plain_references() =>
        Assert.Equal("abc123", ModelReference.Parse("org/repo:Q4_0", "abc123").Revision);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("justaname", "expected owner/repo")]
    [InlineData("org/repo/../../etc/passwd.gguf", "'..'")]
    [InlineData("org/repo/model.bin", ".gguf")]
    [InlineData("-bad/repo", "invalid repo id")]
    [InlineData("org/repo:Q4 K", "invalid quantization")]
    public void Bad_references_say_what_is_wrong(string text, string expected)
    {
        Assert.False(ModelReference.TryParse(text, null, out _, out var error));
        Assert.Contains(expected, error);
    }
}
