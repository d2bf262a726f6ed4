using System.Globalization;

namespace ModelSwap.Core.Configuration;

/// <summary>Sizes in config files: a whole number of bytes, or with a unit (KB, MB, GB decimal; KiB, MiB, GiB binary).</summary>
public static class ByteSize
{
    private static readonly (string Unit, long Factor)[] Units =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40),
        ("KB", 1000L), ("MB", 1000L * 1000), ("GB", 1000L * 1000 * 1000), ("TB", 1000L * 1000 * 1000 * 1000),
        ("K", 1L << 10), ("M", 1L << 20), ("G", 1L << 30), ("B", 1L),
    ];

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var trimmed = text.Trim();
        var factor = 1L;
        foreach (var (unit, unitFactor) in Units)
        {
            if (trimmed.EndsWith(unit, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[..^unit.Length].Trim();
                factor = unitFactor;
                break;
            }
        }
        if (!decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number < 0)
        {
            return false;
        }
        var total = number * factor;
        if (total > long.MaxValue || total != decimal.Truncate(total))
        {
            return false;
        }
        bytes = (long)total;
        return true;
    }
}
