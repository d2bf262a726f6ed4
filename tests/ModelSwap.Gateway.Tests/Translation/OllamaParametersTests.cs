using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Translation;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Translation;

/// <summary>/api/show's parameters: stop strings from the model's end tokens, sampling defaults by precedence, Ollama's text.</summary>
public sealed class OllamaParametersTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("modelswap-params-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private GgufFile Header(params (string Key, GgufValue Value)[] metadata)
    {
        var path = SmallGguf.Write(Path.Combine(_dir, $"m{Guid.NewGuid():N}.gguf"), chatTemplate: "{{ '<|im_start|>' }}{{ content }}<|im_end|>",
            metadata: [("tokenizer.ggml.tokens", GgufValue.StringArray(["<unk>", "<s>", "</s>", "<|im_end|>"])),
                ("tokenizer.ggml.eos_token_id", GgufValue.UInt32(2)), ("tokenizer.ggml.eot_token_id", GgufValue.UInt32(3)), .. metadata]);
        return GgufReader.Read(path);
    }

    private static ModelConfig Config(string yaml)
    {
        var result = ConfigLoader.Parse(yaml, "test.yaml");
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        return result.Config!.Models["m"];
    }

    [Fact]
    public void Stop_is_the_end_of_turn_token_and_sampling_comes_from_the_gguf()
    {
        var header = Header(("general.sampling.temp", GgufValue.Float32(0.6f)), ("general.sampling.top_k", GgufValue.Int32(20)));

        var text = OllamaParameters.Text(OllamaParameters.For(4096, header, config: null));

        Assert.Equal(string.Join('\n',
            "num_ctx                        4096",
            "stop                           \"<|im_end|>\"",
            "temperature                    0.6",
            "top_k                          20"), text);
    }

    [Fact]
    public void Set_params_beat_command_flags_which_beat_the_gguf()
    {
        var header = Header(("general.sampling.temp", GgufValue.Float32(0.6f)), ("general.sampling.top_p", GgufValue.Float32(0.8f)));
        var config = Config("""
            models:
              m:
                cmd: llama-server -m x.gguf --port ${PORT} --temp 0.3 --top-k=40 --seed 7
                filters:
                  setParams:
                    temperature: 0.1
                    max_tokens: 256
                    stop: ["END", "</done>"]
            """);

        var parameters = OllamaParameters.For(null, header, config);

        Assert.Equal(
            [("num_predict", "256"), ("seed", "7"), ("stop", "\"END\""), ("stop", "\"</done>\""), ("temperature", "0.1"), ("top_k", "40"), ("top_p", "0.8")],
            parameters.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void A_model_without_a_vocabulary_still_lists_the_templates_known_end_markers()
    {
        var path = SmallGguf.Write(Path.Combine(_dir, "nov.gguf"), chatTemplate: "<start_of_turn>user {{ x }}<end_of_turn>");

        Assert.Equal(["<end_of_turn>"], OllamaParameters.StopTokens(GgufReader.Read(path)));
    }
}
