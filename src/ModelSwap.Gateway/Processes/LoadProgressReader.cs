using System.Text.Json;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Reads a model server's load progress from its output, as a fraction 0..1 that only grows.
/// <para>
/// llama-server reports real progress (tensor bytes loaded, per stage: text model, draft, projector)
/// only to llama.cpp's own router, which starts it with <c>LLAMA_SERVER_ROUTER_PORT</c> set; it then
/// prints lines <c>cmd_child_to_router:state:{"state":"loading","payload":{"stages":[…],"current":…,"value":0.42}}</c>
/// on stdout. Generated configs set that variable, so ModelSwap reads the same lines. In that mode
/// llama-server also watches its stdin: it exits when stdin ends, and stops cleanly on
/// <see cref="ExitCommand"/>; so <see cref="ModelProcess"/> keeps stdin open for such a server and
/// writes that command when stopping it (a dead ModelSwap closes the pipe, which ends the server too).
/// </para>
/// Not thread-safe by itself: one process's output lines arrive from two readers, so callers lock.
/// </summary>
internal sealed class LoadProgressReader
{
    public const string RouterPortVariable = "LLAMA_SERVER_ROUTER_PORT";
    public const string ExitCommand = "cmd_router_to_child:exit";
    private const string StatePrefix = "cmd_child_to_router:state:";

    /// <summary>The last fraction read; null until the server reported any.</summary>
    public double? Value { get; private set; }

    /// <summary>The model's server speaks llama.cpp's router protocol (see the class summary).</summary>
    public static bool UsesRouterProtocol(ModelConfig model) =>
        model.Environment.Any(e => e.Key == RouterPortVariable);

    /// <summary>Reads one output line; true when the progress changed.</summary>
    public bool Observe(string line)
    {
        var at = line.IndexOf(StatePrefix, StringComparison.Ordinal);
        if (at < 0 || Fraction(line.AsSpan(at + StatePrefix.Length)) is not { } fraction)
        {
            return false;
        }
        // Whole percents: finer steps would only add events nobody can see.
        fraction = Math.Round(Math.Clamp(fraction, 0, 1), 2);
        if (Value is { } old && fraction <= old)
        {
            return false;
        }
        Value = fraction;
        return true;
    }

    /// <summary>The overall fraction a state line reports: finished stages plus the current one's part.</summary>
    internal static double? Fraction(ReadOnlySpan<char> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToString());
            var root = document.RootElement;
            var state = root.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (state == "ready")
            {
                return 1;
            }
            if (state != "loading" || !root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var stages = payload.TryGetProperty("stages", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null).ToList()
                : [];
            var current = payload.TryGetProperty("current", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()
                : payload.TryGetProperty("stage", out var st) && st.ValueKind == JsonValueKind.String ? st.GetString() : null;
            var value = payload.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;
            var count = Math.Max(1, stages.Count);
            var index = Math.Max(0, stages.IndexOf(current));
            return (index + Math.Clamp(value, 0, 1)) / count;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
