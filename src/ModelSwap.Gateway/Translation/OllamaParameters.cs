using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Translation;

/// <summary>
/// The sampling and stopping parameters a model runs with, as /api/show's <c>parameters</c> (and the
/// Modelfile's PARAMETER lines) list them: the context size, stop strings (the model's end-of-turn
/// tokens), and sampling defaults, each from the place that wins when a request leaves it out:
/// <c>filters.setParams</c> (forced on every request) over the server's command-line flags over the
/// GGUF's <c>general.sampling.*</c> recommendations.
/// </summary>
internal static class OllamaParameters
{
    /// <summary>llama.cpp's end-of-generation spellings; one counts as a stop when the chat template uses it.</summary>
    private static readonly string[] KnownEndTokens =
    [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>",
        "<|return|>", "<|call|>", "<｜end▁of▁sentence｜>", "</s>",
    ];

    private static readonly (string Key, string Ollama)[] GgufSampling =
    [
        ("general.sampling.temp", "temperature"), ("general.sampling.top_k", "top_k"), ("general.sampling.top_p", "top_p"),
        ("general.sampling.min_p", "min_p"), ("general.sampling.penalty_repeat", "repeat_penalty"),
        ("general.sampling.penalty_last_n", "repeat_last_n"),
    ];

    private static readonly Dictionary<string, string> CommandFlags = new(StringComparer.Ordinal)
    {
        ["--temp"] = "temperature", ["--top-k"] = "top_k", ["--top-p"] = "top_p", ["--min-p"] = "min_p",
        ["--repeat-penalty"] = "repeat_penalty", ["--repeat-last-n"] = "repeat_last_n", ["--seed"] = "seed", ["-s"] = "seed",
        ["--n-predict"] = "num_predict", ["-n"] = "num_predict", ["--predict"] = "num_predict",
        ["--presence-penalty"] = "presence_penalty", ["--frequency-penalty"] = "frequency_penalty",
    };

    private static readonly Dictionary<string, string> RequestFields = new(StringComparer.Ordinal)
    {
        ["temperature"] = "temperature", ["top_k"] = "top_k", ["top_p"] = "top_p", ["min_p"] = "min_p",
        ["repeat_penalty"] = "repeat_penalty", ["repeat_last_n"] = "repeat_last_n", ["seed"] = "seed",
        ["max_tokens"] = "num_predict", ["n_predict"] = "num_predict", ["presence_penalty"] = "presence_penalty",
        ["frequency_penalty"] = "frequency_penalty",
    };

    /// <summary>Name and value pairs in Ollama's order: sorted by name, a list (stop) as one pair per value.</summary>
    public static List<KeyValuePair<string, string>> For(long? contextSize, GgufFile? header, ModelConfig? config)
    {
        var values = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        if (contextSize is { } context)
        {
            values["num_ctx"] = [context.ToString(CultureInfo.InvariantCulture)];
        }
        if (header is not null)
        {
            if (StopTokens(header) is { Count: > 0 } stops)
            {
                values["stop"] = [.. stops.Select(Quote)];
            }
            foreach (var (key, name) in GgufSampling)
            {
                if (header.GetDouble(key) is { } number)
                {
                    values[name] = [Number(number)];
                }
            }
        }
        if (config is not null)
        {
            ReadCommand(config.Command, values);
            if (config.Filters.SetParams is { } forced)
            {
                ReadForced(forced, values);
            }
        }
        return [.. values.SelectMany(kv => kv.Value.Select(v => KeyValuePair.Create(kv.Key, v)))];
    }

    /// <summary>Ollama's text: the name padded to 30 columns, a space, the value (strings quoted).</summary>
    public static string Text(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('\n', parameters.Select(p => $"{p.Key,-30} {p.Value}"));

    /// <summary>The texts of the model's end tokens: eos, eot and eom by id, and the known end markers its chat template uses.</summary>
    public static List<string> StopTokens(GgufFile header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var stops = new List<string>();
        var tokens = header.GetArray("tokenizer.ggml.tokens");
        var template = header.GetString("tokenizer.chat_template") ?? "";
        foreach (var key in new[] { "tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id", "tokenizer.ggml.eos_token_id" })
        {
            if (header.GetInt64(key) is { } id && tokens is { OmittedCount: 0 } && id >= 0 && id < tokens.Count
                && tokens.Items.GetValue(id) is string text && text.Length > 0 && !stops.Contains(text))
            {
                // A base model's eos (</s>) ends text, not a turn: list it only when the template uses it.
                if (key != "tokenizer.ggml.eos_token_id" || template.Length == 0 || template.Contains(text, StringComparison.Ordinal) || stops.Count == 0)
                {
                    stops.Add(text);
                }
            }
        }
        foreach (var known in KnownEndTokens)
        {
            if (template.Contains(known, StringComparison.Ordinal) && !stops.Contains(known))
            {
                stops.Add(known);
            }
        }
        return stops;
    }

    private static void ReadCommand(IReadOnlyList<string> command, SortedDictionary<string, List<string>> values)
    {
        for (var i = 1; i < command.Count; i++)
        {
            var argument = command[i];
            string? value = null;
            if (argument.IndexOf('=', StringComparison.Ordinal) is var equals and > 0)
            {
                value = argument[(equals + 1)..];
                argument = argument[..equals];
            }
            if (!CommandFlags.TryGetValue(argument, out var name))
            {
                continue;
            }
            value ??= i + 1 < command.Count ? command[++i] : null;
            if (value is not null && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                values[name] = [Number(number)];
            }
        }
    }

    private static void ReadForced(JsonObject forced, SortedDictionary<string, List<string>> values)
    {
        foreach (var (field, node) in forced)
        {
            if (field == "stop")
            {
                var stops = node switch
                {
                    JsonArray array => array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).ToList(),
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
                    _ => [],
                };
                if (stops.Count > 0)
                {
                    values["stop"] = [.. stops.Select(Quote)];
                }
            }
            else if (RequestFields.TryGetValue(field, out var name) && OllamaFields.Number(node) is { } number)
            {
                values[name] = [Number(number)];
            }
        }
    }

    private static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    // As Go's %#v quotes them: markers such as <|im_end|> stay readable, not \u003C escapes.
    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Quote(string text) => JsonSerializer.Serialize(text, QuoteOptions);
}
