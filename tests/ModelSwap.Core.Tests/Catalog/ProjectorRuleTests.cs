using ModelSwap.Core.Catalog;

namespace ModelSwap.Core.Tests.Catalog;

/// <summary>
/// The one projector rule, over the layouts real repos and models folders have. Each test states one
/// clause of the rule; the scanner and the pull planner both answer through it.
/// </summary>
public sealed class ProjectorRuleTests
{
    private static string? Choose(string model, string[] models, string[] projectors) =>
        ProjectorRule.Choose(model, models, projectors);

    [Theory]
    // unsloth ships all three; ggml-org ships f16 only; F16 wins over F32 over BF16 over quantized.
    [InlineData("mmproj-F16.gguf", "mmproj-BF16.gguf", "mmproj-F32.gguf")]
    [InlineData("mmproj-F16.gguf", "mmproj-Q8_0.gguf", "mmproj-BF16.gguf")]
    [InlineData("mmproj-V-f16.gguf", "mmproj-V-Q8_0.gguf", "mmproj-V-f32.gguf")]
    [InlineData("mmproj-F32.gguf", "mmproj-BF16.gguf", "mmproj-Q8_0.gguf")]
    [InlineData("mmproj-BF16.gguf", "mmproj-Q8_0.gguf", "mmproj-Q4_K_M.gguf")]
    [InlineData("mmproj.gguf", "mmproj-Q8_0.gguf", "mmproj-Q4_0.gguf")]
    public void Precision_order_is_F16_F32_BF16_unnamed_then_quantized(string expected, string other1, string other2)
    {
        string[] projectors = [other1, expected, other2];

        Assert.Equal(expected, Choose("V-Q8_0.gguf", ["V-Q4_K_M.gguf", "V-Q8_0.gguf"], projectors));
        Assert.Equal(expected, Choose("V-Q4_K_M.gguf", ["V-Q4_K_M.gguf", "V-Q8_0.gguf"], [.. Enumerable.Reverse(projectors)]));
    }

    [Fact]
    public void The_model_quantization_does_not_pick_the_projector_precision()
    {
        // The old pull rule took mmproj-Q8_0 for a Q8_0 model: a quantized projector hurts vision whatever the model's quant.
        Assert.Equal("mmproj-V-F16.gguf", Choose("V-Q8_0.gguf", ["V-Q8_0.gguf"], ["mmproj-V-Q8_0.gguf", "mmproj-V-F16.gguf"]));
    }

    [Fact]
    public void A_projector_named_for_the_model_beats_a_generic_one_and_the_longest_name_wins()
    {
        string[] models = ["gemma-3-4b-it-Q4_K_M.gguf", "gemma-3-27b-it-Q4_K_M.gguf"];
        string[] projectors = ["mmproj-F16.gguf", "mmproj-gemma-3-bf16.gguf", "mmproj-gemma-3-4b-it-Q8_0.gguf"];

        Assert.Equal("mmproj-gemma-3-4b-it-Q8_0.gguf", Choose(models[0], models, projectors));
        Assert.Equal("mmproj-gemma-3-bf16.gguf", Choose(models[1], models, projectors));
    }

    [Theory]
    [InlineData("Qwen2.5-VL-7B-Instruct-Q4_K_M.gguf", "Qwen2.5-VL-7B-Instruct-mmproj-f16.gguf")]
    [InlineData("llava-v1.5-7b-Q4_K.gguf", "llava-v1.5-7b-mmproj-model-f16.gguf")]
    [InlineData("google_gemma-3-4b-it-UD-Q4_K_XL.gguf", "mmproj-google_gemma-3-4b-it-f16.gguf")]
    [InlineData("Big-VL-Q8_0-00001-of-00003.gguf", "mmproj-Big-VL-F16.gguf")]
    public void Names_match_without_mmproj_quantization_split_suffix_separators_or_case(string model, string projector) =>
        Assert.Equal(projector, Choose(model, [model, "Other-Model-Q4_K_M.gguf"], ["mmproj-other-f16.gguf", projector]));

    [Fact]
    public void A_generic_projector_serves_the_quantizations_of_one_model_but_not_a_mix_of_models()
    {
        string[] oneModel = ["g/gemma-3-4b-it-Q4_K_M.gguf", "g/gemma-3-4b-it-UD-Q4_K_XL.gguf", "g/gemma-3-4b-it-BF16.gguf"];
        var pairs = ProjectorRule.Pair(oneModel, ["g/mmproj-F16.gguf", "g/mmproj-model-f16.gguf"]);
        Assert.Equal(oneModel.Order(StringComparer.Ordinal), pairs.Keys.Order(StringComparer.Ordinal));
        Assert.All(pairs.Values, p => Assert.Equal("g/mmproj-F16.gguf", p)); // equal precision: ordinal path order

        string[] mixed = ["m/llava-v1.6-mistral-7b.Q4_K_M.gguf", "m/qwen2.5-7b-instruct-q4_k_m.gguf"];
        Assert.Empty(ProjectorRule.Pair(mixed, ["m/mmproj-model-f16.gguf"]));
    }

    [Fact]
    public void A_projector_in_a_folder_above_serves_the_models_below_when_their_own_folder_has_none()
    {
        // unsloth keeps big quants in subfolders and one mmproj at the top; a pull keeps that layout.
        string[] models = ["/m/unsloth_X-GGUF/X-Q4_K_M.gguf", "/m/unsloth_X-GGUF/Q8_0/X-Q8_0-00001-of-00002.gguf"];
        var pairs = ProjectorRule.Pair(models, ["/m/unsloth_X-GGUF/mmproj-BF16.gguf", "/m/unsloth_X-GGUF/mmproj-F16.gguf"]);

        Assert.Equal("/m/unsloth_X-GGUF/mmproj-F16.gguf", pairs[models[0]]);
        Assert.Equal("/m/unsloth_X-GGUF/mmproj-F16.gguf", pairs[models[1]]);
    }

    [Fact]
    public void The_nearest_folder_wins_and_a_generic_projector_above_needs_one_model_below_it()
    {
        string[] models = ["/m/llava-q4_k_m.gguf", "/m/r/gemma-3-4b-it-Q4_K_M.gguf", "/m/t/qwen2.5-7b-q4_k_m.gguf"];
        var pairs = ProjectorRule.Pair(models, ["/m/mmproj-model-f16.gguf", "/m/r/mmproj-F32.gguf"]);

        Assert.Equal("/m/mmproj-model-f16.gguf", pairs[models[0]]); // alone in its own folder: takes it
        Assert.Equal("/m/r/mmproj-F32.gguf", pairs[models[1]]);     // its own folder's, not the one above
        Assert.False(pairs.ContainsKey(models[2]));                 // the one above serves several different models
    }

    [Fact]
    public void A_projector_named_for_another_model_is_never_taken()
    {
        Assert.Null(Choose("r/Model-A-Q4_K_M.gguf", ["r/Model-A-Q4_K_M.gguf"], ["r/mmproj-Model-B-F16.gguf", "mmproj-Model-C-F16.gguf"]));
        Assert.Null(Choose("r/Model-A-Q4_K_M.gguf", ["r/Model-A-Q4_K_M.gguf"], []));
    }

    [Fact]
    public void The_answer_does_not_depend_on_listing_order()
    {
        string[] models = ["a/V-Q4_K_M.gguf", "a/V-Q8_0.gguf", "b/W-F16.gguf"];
        string[] projectors = ["a/mmproj-V-f32.gguf", "a/mmproj-V-F16.gguf", "a/mmproj-v-f16.gguf", "b/mmproj-Q8_0.gguf", "b/mmproj.gguf"];
        var expected = Sorted(ProjectorRule.Pair(models, projectors));

        for (var shift = 1; shift < projectors.Length; shift++)
        {
            var rotated = projectors.Skip(shift).Concat(projectors.Take(shift)).ToArray();
            Assert.Equal(expected, Sorted(ProjectorRule.Pair(Enumerable.Reverse(models), rotated)));
        }
        Assert.Equal(
            [("a/V-Q4_K_M.gguf", "a/mmproj-V-F16.gguf"), ("a/V-Q8_0.gguf", "a/mmproj-V-F16.gguf"), ("b/W-F16.gguf", "b/mmproj.gguf")],
            expected);
    }

    private static List<(string Model, string Projector)> Sorted(IReadOnlyDictionary<string, string> pairs) =>
        [.. pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value))];

    [Theory]
    [InlineData("mmproj-model-f16.gguf", true)]
    [InlineData("sub/Qwen2.5-VL-7B-MMPROJ-f16.gguf", true)]
    [InlineData("mmproj/model-Q4_K_M.gguf", false)] // a folder name does not make a projector
    [InlineData("gemma-3-4b-it-Q4_K_M.gguf", false)]
    public void Projector_names_contain_mmproj(string path, bool expected) =>
        Assert.Equal(expected, ProjectorRule.IsProjectorName(path));
}
