using System.Text.Json;
using LLama.Native;
using ModelSwap.Engine.Model;

namespace ModelSwap.Engine.Api;

/// <summary>Reads the `prompt` of a text completion request: a string, a one-string array, or token ids.</summary>
internal static class CompletionPrompt
{
    public static LLamaToken[] Tokenize(JsonElement body, LoadedModel model)
    {
        if (JsonFields.Bool(body, "echo") == true)
            throw ApiException.BadRequest("'echo' is not supported by the built-in engine.", "echo");
        if (!JsonFields.TryGet(body, "prompt", out var prompt))
            throw ApiException.BadRequest("'prompt' is required.", "prompt");

        switch (prompt.ValueKind)
        {
            case JsonValueKind.String:
                return model.TokenizePrompt(prompt.GetString()!);
            case JsonValueKind.Array when prompt.GetArrayLength() == 0:
                throw ApiException.BadRequest("'prompt' must not be an empty array.", "prompt");
            case JsonValueKind.Array when prompt[0].ValueKind == JsonValueKind.String:
                if (prompt.GetArrayLength() > 1)
                    throw ApiException.BadRequest($"'prompt' holds {prompt.GetArrayLength()} prompts; the built-in engine takes one per request.", "prompt");
                return model.TokenizePrompt(prompt[0].GetString()!);
            case JsonValueKind.Array:
                return ReadTokenIds(prompt, model.Vocab.Count);
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
