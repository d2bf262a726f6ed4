using System.Text.Json;

namespace ModelSwap.Engine.Api;

/// <summary>An embeddings request: the texts or token ids, and whether vectors go back as float arrays or base64.</summary>
internal sealed record EmbeddingRequest(IReadOnlyList<EmbeddingInput> Inputs, bool Base64, int? Dimensions)
{
    private const int MaxInputs = 2048;

    public static EmbeddingRequest Parse(JsonElement body, int embeddingSize, int vocabularySize)
    {
        if (!JsonFields.TryGet(body, "input", out var input))
            throw ApiException.BadRequest("'input' is required.", "input");

        var inputs = new List<EmbeddingInput>();
        if (input.ValueKind == JsonValueKind.String)
        {
            inputs.Add(new EmbeddingInput(input.GetString()!, null, "input"));
        }
        else if (input.ValueKind == JsonValueKind.Array && input.GetArrayLength() > 0 && input[0].ValueKind == JsonValueKind.Number)
        {
            inputs.Add(new EmbeddingInput(null, TokenIds(input, "input", vocabularySize), "input"));
        }
        else if (input.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in input.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Array)
                    inputs.Add(new EmbeddingInput(null, TokenIds(item, $"input[{index}]", vocabularySize), $"input[{index}]"));
                else if (item.ValueKind == JsonValueKind.String)
                    inputs.Add(new EmbeddingInput(item.GetString()!, null, $"input[{index}]"));
                else
                    throw ApiException.BadRequest($"'input[{index}]' must be a string or an array of token ids, not {JsonFields.Describe(item.ValueKind)}.", "input");
                index++;
            }
            if (inputs.Count == 0)
                throw ApiException.BadRequest("'input' must not be an empty array.", "input");
            if (inputs.Count > MaxInputs)
                throw ApiException.BadRequest($"'input' may hold at most {MaxInputs} texts, got {inputs.Count}.", "input");
        }
        else
        {
            throw ApiException.BadRequest($"'input' must be a string or an array of strings, not {JsonFields.Describe(input.ValueKind)}.", "input");
        }
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Text is { Length: 0 })
                throw ApiException.BadRequest(inputs.Count == 1 ? "'input' must not be empty." : $"'input[{i}]' must not be empty.", "input");
        }

        var format = JsonFields.String(body, "encoding_format") ?? "float";
        if (format is not ("float" or "base64"))
            throw ApiException.BadRequest($"'encoding_format' must be 'float' or 'base64', got '{format}'.", "encoding_format");
        var dimensions = JsonFields.Integer(body, "dimensions", 1, int.MaxValue);
        if (dimensions is { } wanted && wanted > embeddingSize)
            throw ApiException.BadRequest($"'dimensions' is {wanted}, but this model's embeddings have only {embeddingSize} dimensions.", "dimensions");

        return new EmbeddingRequest(inputs, format == "base64", dimensions is { } d && d < embeddingSize ? (int)d : null);
    }

    private static int[] TokenIds(JsonElement array, string where, int vocabularySize)
    {
        var ids = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id) || id < 0 || id >= vocabularySize)
                throw ApiException.BadRequest($"'{where}[{i}]' must be a token id between 0 and {vocabularySize - 1}, got {item.GetRawText()}.", "input");
            ids[i++] = id;
        }
        if (ids.Length == 0)
            throw ApiException.BadRequest($"'{where}' must not be empty.", "input");
        return ids;
    }
}
