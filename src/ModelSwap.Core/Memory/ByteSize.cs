using System.Globalization;

namespace ModelSwap.Core.Memory;

/// <summary>
/// Sizes as people write them in config files: <c>700MiB</c>, <c>24GiB</c>, <c>1.5 GB</c>, <c>512</c> (bytes).
/// Binary units (KiB, MiB, GiB, TiB) count in 1024s, decimal ones (KB, MB, GB, TB) in 1000s, as in
/// IEC 80000-13; a bare number is bytes. Hand-written because no package parses exactly these spellings
/// into bytes without also accepting ambiguous ones (e.g. "M").
/// </summary>
public static class ByteSize
{
    public const long KiB = 1024;
    public const long MiB = 1024 * KiB;
    public const long GiB = 1024 * MiB;

    private static readonly (string Unit, long Factor)[] Units =
    [
        ("TiB", 1024 * GiB), ("GiB", GiB), ("MiB", MiB), ("KiB", KiB),
        ("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("kB", 1_000),
        ("B", 1),
    ];

    /// <summary>The size in bytes, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static long? Parse(string? text, out string? error)
    {
        error = null;
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
        {
            error = "a size is required, e.g. 8GiB, 700MiB or 1.5GB";
            return null;
        }
        var factor = 1L;
        var number = trimmed;
        foreach (var (unit, unitFactor) in Units)
        {
            if (trimmed.EndsWith(unit, StringComparison.Ordinal))
            {
                factor = unitFactor;
                number = trimmed[..^unit.Length].TrimEnd();
                break;
            }
        }
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            error = $"'{trimmed}' is not a size: write a number with a unit B, KiB, MiB, GiB, TiB, KB, MB, GB or TB (e.g. 8GiB)";
            return null;
        }
        var bytes = value * factor;
        if (bytes > long.MaxValue / 2)
        {
            error = $"'{trimmed}' is too large";
            return null;
        }
        return (long)decimal.Round(bytes);
    }

    /// <summary>A short binary-unit text: <c>1.5 GiB</c>, <c>300 MiB</c>, <c>512 B</c>.</summary>
    public static string Format(long bytes)
    {
        var abs = Math.Abs(bytes);
        var (divisor, unit) = abs switch
        {
            >= GiB => (GiB, "GiB"),
            >= MiB => (MiB, "MiB"),
            >= KiB => (KiB, "KiB"),
            _ => (1L, "B"),
        };
        if (divisor == 1)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }
        var value = (double)bytes / divisor;
        var format = Math.Abs(value) >= 100 ? "0" : "0.#";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + unit;
    }
}
