using System.Globalization;

namespace ModelSwap.Gateway.Activity;

/// <summary>
/// Where the request history lives and how much of it is kept: at most <see cref="MaxRows"/> requests,
/// none older than <see cref="MaxAge"/> (`serve --history-rows N --history-age 7d`).
/// </summary>
public sealed record ActivityOptions(string DatabasePath, int MaxRows, TimeSpan MaxAge)
{
    public const string FileName = "activity.db";
    public const int DefaultMaxRows = 10_000;
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(7);

    /// <summary>The history in <paramref name="home"/> (MODELSWAP_HOME) with the default bounds.</summary>
    public static ActivityOptions InHome(string home) => new(Path.Combine(home, FileName), DefaultMaxRows, DefaultMaxAge);

    /// <summary>A row bound: a whole number from 1 to 10,000,000. Throws <see cref="FormatException"/> naming the value.</summary>
    public static int ParseMaxRows(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rows) && rows is >= 1 and <= 10_000_000
            ? rows
            : throw new FormatException($"'{text}' is not a number of requests from 1 to 10000000");

    /// <summary>An age bound: a number with a unit, d, h, m or s (7d, 12h, 90m), from one minute to ten years.</summary>
    public static TimeSpan ParseMaxAge(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length >= 2
            && double.TryParse(trimmed[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            && char.ToLowerInvariant(trimmed[^1]) is 'd' or 'h' or 'm' or 's' && amount > 0)
        {
            var age = char.ToLowerInvariant(trimmed[^1]) switch
            {
                'd' => TimeSpan.FromDays(Math.Min(amount, 10_000)),
                'h' => TimeSpan.FromHours(Math.Min(amount, 240_000)),
                'm' => TimeSpan.FromMinutes(Math.Min(amount, 15_000_000)),
                _ => TimeSpan.FromSeconds(Math.Min(amount, 900_000_000)),
            };
            if (age >= TimeSpan.FromMinutes(1) && age <= TimeSpan.FromDays(3653))
            {
                return age;
            }
        }
        throw new FormatException($"'{text}' is not an age from 1m to 3653d: use a number with d, h, m or s (7d, 12h, 90m)");
    }
}
