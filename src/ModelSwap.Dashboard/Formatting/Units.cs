using System.Globalization;

namespace ModelSwap.Dashboard.Formatting;

/// <summary>How the dashboard writes sizes, counts and durations: short, in binary units, invariant culture.</summary>
internal static class Units
{
    private static readonly string[] ByteUnits = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static string Bytes(long? bytes)
    {
        if (bytes is not { } value)
        {
            return "–";
        }
        double size = value;
        var unit = 0;
        while (size >= 1024 && unit < ByteUnits.Length - 1)
        {
            size /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{size:0.#} {ByteUnits[unit]}");
    }

    /// <summary>Parameter counts as people say them: 494M, 7.6B.</summary>
    public static string Count(long? count) => count switch
    {
        null => "–",
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{count / 1e9:0.#}B"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{count / 1e6:0.#}M"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{count / 1e3:0.#}K"),
        _ => count.Value.ToString(CultureInfo.InvariantCulture),
    };

    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => "–",
        { TotalSeconds: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.TotalMilliseconds:0} ms"),
        { TotalMinutes: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.#} s"),
        { TotalHours: < 1 } d => $"{(int)d.TotalMinutes} min {d.Seconds} s",
        { TotalDays: < 1 } d => $"{(int)d.TotalHours} h {d.Minutes} min",
        var d => $"{(int)d.Value.TotalDays} d {d.Value.Hours} h",
    };

    public static string Seconds(long seconds) => seconds == 0 ? "never" : Duration(TimeSpan.FromSeconds(seconds));
}
