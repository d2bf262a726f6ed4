using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Translation;

/// <summary>
/// Ollama's <c>options</c> as fields of an OpenAI request to llama-server or the built-in engine.
/// Load-time options (num_ctx, num_gpu, num_thread, use_mmap, …) cannot change a running server: the
/// model's own settings (models.yaml) decide them, so they are dropped.
/// </summary>
internal static class OllamaOptions
{
    /// <summary>Options whose OpenAI/llama-server field has the same name and meaning.</summary>
    private static readonly string[] SameName =
    [
        "temperature", "top_p", "top_k", "min_p", "seed", "presence_penalty", "frequency_penalty",
        "repeat_penalty", "repeat_last_n", "typical_p", "mirostat", "mirostat_tau", "mirostat_eta", "tfs_z",
    ];

    public static void Apply(JsonNode? options, JsonObject target)
    {
        if (options is null)
        {
            return;
        }
        if (options is not JsonObject values)
        {
            throw new OllamaRequestException("options must be an object, e.g. {\"temperature\":0.7}");
        }
        foreach (var name in SameName)
        {
            if (values[name] is { } value)
            {
                RequireNumber(value, name);
                target[name] = value.DeepClone();
            }
        }
        if (values["num_predict"] is { } predict)
        {
            RequireNumber(predict, "num_predict");
            // Ollama: -1 = until the model stops, -2 = until the context is full; both mean "no limit" here.
            var count = OllamaFields.Number(predict) ?? -1;
            if (count >= 0)
            {
                target["max_tokens"] = (long)count;
            }
        }
        if (values["num_keep"] is { } keep)
        {
            RequireNumber(keep, "num_keep");
            target["n_keep"] = keep.DeepClone();
        }
        if (values["stop"] is { } stop)
        {
            target["stop"] = stop switch
            {
                JsonArray array when array.All(s => s is JsonValue v && v.GetValueKind() == JsonValueKind.String) => array.DeepClone(),
                JsonValue single when single.GetValueKind() == JsonValueKind.String => new JsonArray(single.DeepClone()),
                _ => throw new OllamaRequestException("options.stop must be a string or an array of strings"),
            };
        }
    }

    private static void RequireNumber(JsonNode value, string name)
    {
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            throw new OllamaRequestException($"options.{name} must be a number");
        }
    }
}
