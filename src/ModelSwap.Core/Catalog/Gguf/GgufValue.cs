using System.Globalization;

namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>
/// One typed GGUF metadata value. The type tag is kept, so a file written back holds exactly the
/// types it was read with; the <c>As*</c> accessors convert leniently because producers disagree
/// on integer widths (one tool writes <c>context_length</c> as u32, another as u64).
/// </summary>
public sealed class GgufValue : IEquatable<GgufValue>
{
    private GgufValue(GgufValueType type, object value)
    {
        Type = type;
        Value = value;
    }

    public GgufValueType Type { get; }

    /// <summary>The boxed CLR value: byte, sbyte, ushort, short, uint, int, float, bool, string, ulong, long, double, or <see cref="GgufArray"/>.</summary>
    public object Value { get; }

    public static GgufValue UInt8(byte value) => new(GgufValueType.UInt8, value);
    public static GgufValue Int8(sbyte value) => new(GgufValueType.Int8, value);
    public static GgufValue UInt16(ushort value) => new(GgufValueType.UInt16, value);
    public static GgufValue Int16(short value) => new(GgufValueType.Int16, value);
    public static GgufValue UInt32(uint value) => new(GgufValueType.UInt32, value);
    public static GgufValue Int32(int value) => new(GgufValueType.Int32, value);
    public static GgufValue Float32(float value) => new(GgufValueType.Float32, value);
    public static GgufValue Bool(bool value) => new(GgufValueType.Bool, value);
    public static GgufValue String(string value) => new(GgufValueType.String, value ?? throw new ArgumentNullException(nameof(value)));
    public static GgufValue UInt64(ulong value) => new(GgufValueType.UInt64, value);
    public static GgufValue Int64(long value) => new(GgufValueType.Int64, value);
    public static GgufValue Float64(double value) => new(GgufValueType.Float64, value);
    public static GgufValue Array(GgufArray value) => new(GgufValueType.Array, value ?? throw new ArgumentNullException(nameof(value)));
    public static GgufValue StringArray(IEnumerable<string> values) => Array(new GgufArray(GgufValueType.String, values.ToArray()));
    public static GgufValue Float32Array(IEnumerable<float> values) => Array(new GgufArray(GgufValueType.Float32, values.ToArray()));
    public static GgufValue Int32Array(IEnumerable<int> values) => Array(new GgufArray(GgufValueType.Int32, values.ToArray()));

    public string? AsString() => Value as string;

    public bool? AsBool() => Value is bool b ? b : null;

    public GgufArray? AsArray() => Value as GgufArray;

    /// <summary>Any integer type with a non-negative value; null for other types and negatives.</summary>
    public ulong? AsUInt64() => Value switch
    {
        byte v => v,
        ushort v => v,
        uint v => v,
        ulong v => v,
        sbyte v when v >= 0 => (ulong)v,
        short v when v >= 0 => (ulong)v,
        int v when v >= 0 => (ulong)v,
        long v when v >= 0 => (ulong)v,
        _ => null,
    };

    /// <summary>Any integer type whose value fits a long.</summary>
    public long? AsInt64() => Value switch
    {
        byte v => v,
        ushort v => v,
        uint v => v,
        ulong v when v <= long.MaxValue => (long)v,
        sbyte v => v,
        short v => v,
        int v => v,
        long v => v,
        _ => null,
    };

    /// <summary>Any numeric type as a double (integers included, since some tools write floats as ints).</summary>
    public double? AsDouble() => Value switch
    {
        float v => v,
        double v => v,
        _ => AsInt64() is long l ? l : AsUInt64() is ulong u ? u : null,
    };

    public bool Equals(GgufValue? other) =>
        other is not null && Type == other.Type && (Value is GgufArray a ? a.Equals(other.Value as GgufArray) : Value.Equals(other.Value));

    public override bool Equals(object? obj) => Equals(obj as GgufValue);

    public override int GetHashCode() => HashCode.Combine(Type, Value is GgufArray a ? a.Count : Value.GetHashCode());

    /// <summary>A human-readable rendering; long arrays show their first items and their length.</summary>
    public override string ToString() => Value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Value.ToString() ?? "",
    };
}
