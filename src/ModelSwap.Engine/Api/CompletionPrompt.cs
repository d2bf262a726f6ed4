using System.Text.Json;
using LLama.Native;
using ModelSwap.Engine.Model;

namespace ModelSwap.Engine.Api;

/// <summary>Reads the `prompt` of a text completion request: a string, token ids, or an array of either (one choice each).</summary>
internal static class CompletionPrompt
{
    private const int MaxPrompts = 16;

    public static List<LLamaToken[]> Tokenize(JsonElement body, LoadedModel model)
    {
        if (JsonFields.Bool(body, "echo") == true)
            throw ApiException.BadRequest("'echo' is not supported by the built-in engine.", "echo");
        if (!JsonFields.TryGet(body, "prompt", out var prompt))
            throw ApiException.BadRequest("'prompt' is required.", "prompt");

        switch (prompt.ValueKind)
        {
            case JsonValueKind.String:
                return [model.TokenizePrompt(prompt.GetString()!)];
            case JsonValueKind.Array when prompt.GetArrayLength() == 0:
                throw ApiException.BadRequest("'prompt' must not be an empty array.", "prompt");
            case JsonValueKind.Array when prompt[0].ValueKind is JsonValueKind.String or JsonValueKind.Array:
                if (prompt.GetArrayLength() > MaxPrompts)
                    throw ApiException.BadRequest($"'prompt' holds {prompt.GetArrayLength()} prompts; at most {MaxPrompts} per request.", "prompt");
                var prompts = new List<LLamaToken[]>();
                var index = 0;
                foreach (var item in prompt.EnumerateArray())
                {
                    prompts.Add(item.ValueKind switch
                    {
                        JsonValueKind.String => model.TokenizePrompt(item.GetString()!),
                        JsonValueKind.Array => ReadTokenIds(item, model.Vocab.Count),
                        _ => throw ApiException.BadRequest($"'prompt[{index}]' must be a string or an array of token ids, not {JsonFields.Describe(item.ValueKind)}.", "prompt"),
                    });
                    index++;
                }
                return prompts;
            case JsonValueKind.Array:
                return [ReadTokenIds(prompt, model.Vocab.Count)];
            default:
                throw ApiException.BadRequest($"'prompt' must be a string, an array of one string, or an array of token ids, not {JsonFields.Describe(prompt.ValueKind)}.", "prompt");
        }
    }

    private static LLamaToken[] ReadTokenIds(JsonElement prompt, int vocabularySize)
    {
        var tokens = new LLamaToken[prompt.GetArrayLength()];
        var index = 0;
        foreach (var item in prompt.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id) || id < 0 || id >= vocabularySize)
                throw ApiException.BadRequest($"'prompt[{index}]' must be a token id between 0 and {vocabularySize - 1}, got {item.GetRawText()}.", "prompt");
            tokens[index++] = id;
        }
        return tokens;
    }
}
