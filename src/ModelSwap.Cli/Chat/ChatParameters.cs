using System.Globalization;
using System.Text.Json.Nodes;

namespace ModelSwap.Cli.Chat;

/// <summary>`/set parameter NAME VALUE`: the sampling options sent with every message, as Ollama's CLI has them.</summary>
internal sealed class ChatParameters
{
    private static readonly HashSet<string> Integers = ["seed", "top_k", "num_predict", "num_ctx", "repeat_last_n", "num_keep"];
    private static readonly HashSet<string> Numbers = ["temperature", "top_p", "min_p", "repeat_penalty", "presence_penalty", "frequency_penalty", "typical_p"];

    public JsonObject Options { get; } = [];

    public static IEnumerable<string> Names => Integers.Concat(Numbers).Append("stop").Order(StringComparer.Ordinal);

    /// <summary>Sets one parameter; returns an error message, or null when set.</summary>
    public string? Set(string name, string value)
    {
        if (name == "stop")
        {
            if (Options["stop"] is not JsonArray stops)
            {
                Options["stop"] = stops = [];
            }
            stops.Add(value);
            return null;
        }
        if (Integers.Contains(name))
        {
            if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
            {
                return $"{name} needs a whole number, not '{value}'";
            }
            Options[name] = whole;
            return null;
        }
        if (Numbers.Contains(name))
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return $"{name} needs a number, not '{value}'";
            }
            Options[name] = number;
            return null;
        }
        return $"unknown parameter '{name}'; one of: {string.Join(", ", Names)}";
    }
}
