using System.Text.Json;
using ModelSwap.Engine.Inference;

namespace ModelSwap.Engine.Api;

/// <summary>
/// Reads the sampling and stopping fields of OpenAI's chat and text completion requests (plus
/// llama-server's top_k, min_p, repeat_penalty). Fields the engine cannot honour are refused rather
/// than silently ignored, so a client never gets something it did not ask for.
/// </summary>
internal static class GenerationOptionsParser
{
    private const int MaxStopSequences = 16;
    private const int MaxChoices = 16;
    private const int MaxTopLogprobs = 20;

    public static GenerationOptions Parse(JsonElement body)
    {
        var maxTokens = JsonFields.Integer(body, "max_completion_tokens", -1, int.MaxValue)
            ?? JsonFields.Integer(body, "max_tokens", -1, int.MaxValue)
            ?? JsonFields.Integer(body, "n_predict", -1, int.MaxValue);

        var defaults = new SamplingSettings();
        var sampling = new SamplingSettings
        {
            Temperature = (float)(JsonFields.Number(body, "temperature", 0, 2) ?? defaults.Temperature),
            TopP = (float)(JsonFields.Number(body, "top_p", 0, 1) ?? defaults.TopP),
            TopK = (int)(JsonFields.Integer(body, "top_k", 0, int.MaxValue) ?? defaults.TopK),
            MinP = (float)(JsonFields.Number(body, "min_p", 0, 1) ?? defaults.MinP),
            PresencePenalty = (float)(JsonFields.Number(body, "presence_penalty", -2, 2) ?? 0),
            FrequencyPenalty = (float)(JsonFields.Number(body, "frequency_penalty", -2, 2) ?? 0),
            RepeatPenalty = (float)(JsonFields.Number(body, "repeat_penalty", 0, 10) ?? defaults.RepeatPenalty),
            Seed = ParseSeed(body),
        };

        var n = (int)(JsonFields.Integer(body, "n", 1, MaxChoices) ?? 1);
        int? topLogprobs = null;
        if (JsonFields.TryGet(body, "logprobs", out var logprobs))
        {
            // Chat: logprobs true with top_logprobs 0-20. Legacy completions: logprobs N (alternatives per token).
            if (logprobs.ValueKind == JsonValueKind.True)
                topLogprobs = (int)(JsonFields.Integer(body, "top_logprobs", 0, MaxTopLogprobs) ?? 0);
            else if (logprobs.ValueKind == JsonValueKind.Number)
                topLogprobs = (int)JsonFields.Integer(body, "logprobs", 0, MaxTopLogprobs)!.Value;
            else if (logprobs.ValueKind != JsonValueKind.False)
                throw ApiException.BadRequest($"'logprobs' must be true or false (chat) or an integer (completions), not {JsonFields.Describe(logprobs.ValueKind)}.", "logprobs");
        }
        else if (JsonFields.TryGet(body, "top_logprobs", out _))
        {
            throw ApiException.BadRequest("'top_logprobs' needs 'logprobs': true.", "top_logprobs");
        }
        var grammar = JsonFields.TryGet(body, "response_format", out var format) ? ResponseFormatParser.Grammar(format, "response_format") : null;

        var includeUsage = false;
        if (JsonFields.TryGet(body, "stream_options", out var streamOptions))
        {
            if (streamOptions.ValueKind != JsonValueKind.Object)
                throw ApiException.BadRequest($"'stream_options' must be an object, not {JsonFields.Describe(streamOptions.ValueKind)}.", "stream_options");
            includeUsage = JsonFields.Bool(streamOptions, "include_usage") ?? false;
        }

        return new GenerationOptions(
            maxTokens is null or -1 ? null : (int)maxTokens.Value,
            sampling,
            ParseStop(body),
            JsonFields.Bool(body, "stream") ?? false,
            includeUsage,
            grammar,
            n,
            topLogprobs);
    }

    /// <summary>Any integer; -1 means random, as in llama-server. Larger seeds are folded into 32 bits.</summary>
    private static uint? ParseSeed(JsonElement body)
    {
        var seed = JsonFields.Integer(body, "seed", long.MinValue, long.MaxValue);
        if (seed is null or -1)
            return null;
        return unchecked((uint)seed.Value ^ (uint)(seed.Value >> 32));
    }

    private static List<string> ParseStop(JsonElement body)
    {
        var stops = new List<string>();
        if (!JsonFields.TryGet(body, "stop", out var stop))
            return stops;
        switch (stop.ValueKind)
        {
            case JsonValueKind.String:
                stops.Add(stop.GetString()!);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in stop.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                        throw ApiException.BadRequest($"'stop[{index}]' must be a string, not {JsonFields.Describe(item.ValueKind)}.", "stop");
                    stops.Add(item.GetString()!);
                    index++;
                }
                if (stops.Count > MaxStopSequences)
                    throw ApiException.BadRequest($"'stop' may hold at most {MaxStopSequences} sequences, got {stops.Count}.", "stop");
                break;
            default:
                throw ApiException.BadRequest($"'stop' must be a string or an array of strings, not {JsonFields.Describe(stop.ValueKind)}.", "stop");
        }
        stops.RemoveAll(s => s.Length == 0);
        return stops;
    }
}
