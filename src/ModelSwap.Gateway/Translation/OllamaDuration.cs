using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ModelSwap.Gateway.Translation;

/// <summary>
/// Reads Ollama's <c>keep_alive</c>: a number of seconds, or a Go duration string ("5m", "1h30m",
/// "300ms", "-1"). Negative means "keep loaded", zero "unload after the answer".
/// </summary>
internal static partial class OllamaDuration
{
    /// <summary>Null when <paramref name="value"/> is absent; throws <see cref="OllamaRequestException"/> when unreadable.</summary>
    public static TimeSpan? Parse(JsonNode? value, string field)
    {
        if (value is null)
        {
            return null;
        }
        if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
        {
            return FromSeconds(number.GetValue<double>());
        }
        if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String)
        {
            var s = text.GetValue<string>().Trim();
            if (s.Length == 0)
            {
                return null;
            }
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                return FromSeconds(seconds);
            }
            if (ParseGo(s) is { } duration)
            {
                return duration;
            }
            throw new OllamaRequestException($"{field}: '{s}' is not a duration (use seconds, or e.g. \"5m\", \"1h30m\", \"-1\")");
        }
        throw new OllamaRequestException($"{field} must be a number of seconds or a duration string such as \"5m\"");
    }

    private static TimeSpan FromSeconds(double seconds) =>
        seconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2));

    private static TimeSpan? ParseGo(string s)
    {
        var negative = s.StartsWith('-');
        var body = negative || s.StartsWith('+') ? s[1..] : s;
        var matches = GoPart().Matches(body);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != body)
        {
            return null;
        }
        var total = TimeSpan.Zero;
        foreach (Match part in matches)
        {
            var amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "ns" => TimeSpan.FromTicks((long)(amount / 100)),
                "us" or "µs" => TimeSpan.FromMicroseconds(amount),
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        }
        return negative && total > TimeSpan.Zero ? Timeout.InfiniteTimeSpan : total;
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex GoPart();
}
