using System.Globalization;

namespace ModelSwap.Dashboard.Formatting;

/// <summary>How the Activity page writes times, durations and speeds: short, invariant culture, "–" for unknown.</summary>
internal static class ActivityFormat
{
    public static string Milliseconds(double? ms) => ms switch
    {
        null => "–",
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{ms:0} ms"),
        < 60_000 => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.0#} s"),
        _ => Units.Duration(TimeSpan.FromMilliseconds(ms.Value)),
    };

    public static string Speed(double? tokensPerSecond) =>
        tokensPerSecond is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.#} tok/s") : "–";

    public static string Tokens(int? tokens) => tokens?.ToString(CultureInfo.InvariantCulture) ?? "–";

    public static string Time(DateTimeOffset time) => time.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A chart's time axis: the minute, local time.</summary>
    public static string Clock(DateTimeOffset time) => time.ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string Elapsed(double seconds) => seconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s")
        : Units.Duration(TimeSpan.FromSeconds(seconds));
}
