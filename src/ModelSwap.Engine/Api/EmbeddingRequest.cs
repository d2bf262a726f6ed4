using System.Text.Json;

namespace ModelSwap.Engine.Api;

/// <summary>An embeddings request: the texts, and whether vectors go back as float arrays or base64.</summary>
internal sealed record EmbeddingRequest(IReadOnlyList<string> Inputs, bool Base64)
{
    private const int MaxInputs = 2048;

    public static EmbeddingRequest Parse(JsonElement body, int embeddingSize)
    {
        if (!JsonFields.TryGet(body, "input", out var input))
            throw ApiException.BadRequest("'input' is required.", "input");

        var inputs = new List<string>();
        if (input.ValueKind == JsonValueKind.String)
        {
            inputs.Add(input.GetString()!);
        }
        else if (input.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in input.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                    throw ApiException.BadRequest($"'input[{index}]' must be a string, not {JsonFields.Describe(item.ValueKind)} (token id inputs are not supported).", "input");
                inputs.Add(item.GetString()!);
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
            if (inputs[i].Length == 0)
                throw ApiException.BadRequest(inputs.Count == 1 ? "'input' must not be empty." : $"'input[{i}]' must not be empty.", "input");
        }

        var format = JsonFields.String(body, "encoding_format") ?? "float";
        if (format is not ("float" or "base64"))
            throw ApiException.BadRequest($"'encoding_format' must be 'float' or 'base64', got '{format}'.", "encoding_format");
        var dimensions = JsonFields.Integer(body, "dimensions", 1, int.MaxValue);
        if (dimensions is { } wanted && wanted != embeddingSize)
            throw ApiException.BadRequest($"'dimensions' is {wanted}, but this model's embeddings have {embeddingSize} dimensions and cannot be shortened.", "dimensions");

        return new EmbeddingRequest(inputs, format == "base64");
    }
}
