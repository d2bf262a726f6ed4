using System.Globalization;
using System.Text;

namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>
/// A GGUF array value: one element type and a typed CLR array (a vocabulary of 150k strings is one
/// string[], not 150k boxed values). Nested arrays are <see cref="GgufArray"/>[].
/// </summary>
public sealed class GgufArray : IEquatable<GgufArray>
{
    public GgufArray(GgufValueType elementType, System.Array items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var expected = ClrTypeOf(elementType);
        if (items.GetType() != expected)
        {
            throw new ArgumentException($"A GGUF array of {elementType} needs a {expected.Name}, not a {items.GetType().Name}.", nameof(items));
        }
        ElementType = elementType;
        Items = items;
    }

    public GgufValueType ElementType { get; }

    /// <summary>The typed items: byte[], sbyte[], ushort[], short[], uint[], int[], float[], bool[], string[], ulong[], long[], double[] or GgufArray[].</summary>
    public System.Array Items { get; }

    public int Count => Items.Length;

    /// <summary>
    /// Items the reader stepped over without keeping (<see cref="GgufReadLimits.KeepArraysUpTo"/>):
    /// <see cref="Items"/> is then empty and this is the length the file declared.
    /// </summary>
    public long OmittedCount { get; private init; }

    /// <summary>An array whose <paramref name="count"/> items were read past, not kept.</summary>
    internal static GgufArray Omitted(GgufValueType elementType, long count) =>
        new(elementType, System.Array.CreateInstance(ClrTypeOf(elementType).GetElementType()!, 0)) { OmittedCount = count };

    /// <summary>The items as <typeparamref name="T"/>, or null when the element type differs.</summary>
    public IReadOnlyList<T>? As<T>() => Items as T[];

    /// <summary>Item <paramref name="index"/> wrapped as a value.</summary>
    public GgufValue this[int index] => ElementType switch
    {
        GgufValueType.UInt8 => GgufValue.UInt8(((byte[])Items)[index]),
        GgufValueType.Int8 => GgufValue.Int8(((sbyte[])Items)[index]),
        GgufValueType.UInt16 => GgufValue.UInt16(((ushort[])Items)[index]),
        GgufValueType.Int16 => GgufValue.Int16(((short[])Items)[index]),
        GgufValueType.UInt32 => GgufValue.UInt32(((uint[])Items)[index]),
        GgufValueType.Int32 => GgufValue.Int32(((int[])Items)[index]),
        GgufValueType.Float32 => GgufValue.Float32(((float[])Items)[index]),
        GgufValueType.Bool => GgufValue.Bool(((bool[])Items)[index]),
        GgufValueType.String => GgufValue.String(((string[])Items)[index]),
        GgufValueType.UInt64 => GgufValue.UInt64(((ulong[])Items)[index]),
        GgufValueType.Int64 => GgufValue.Int64(((long[])Items)[index]),
        GgufValueType.Float64 => GgufValue.Float64(((double[])Items)[index]),
        _ => GgufValue.Array(((GgufArray[])Items)[index]),
    };

    internal static Type ClrTypeOf(GgufValueType elementType) => elementType switch
    {
        GgufValueType.UInt8 => typeof(byte[]),
        GgufValueType.Int8 => typeof(sbyte[]),
        GgufValueType.UInt16 => typeof(ushort[]),
        GgufValueType.Int16 => typeof(short[]),
        GgufValueType.UInt32 => typeof(uint[]),
        GgufValueType.Int32 => typeof(int[]),
        GgufValueType.Float32 => typeof(float[]),
        GgufValueType.Bool => typeof(bool[]),
        GgufValueType.String => typeof(string[]),
        GgufValueType.UInt64 => typeof(ulong[]),
        GgufValueType.Int64 => typeof(long[]),
        GgufValueType.Float64 => typeof(double[]),
        GgufValueType.Array => typeof(GgufArray[]),
        _ => throw new ArgumentOutOfRangeException(nameof(elementType), elementType, "Not a GGUF value type."),
    };

    public bool Equals(GgufArray? other)
    {
        if (other is null || other.ElementType != ElementType || other.Count != Count)
        {
            return false;
        }
        for (var i = 0; i < Count; i++)
        {
            if (!Equals(Items.GetValue(i), other.Items.GetValue(i)))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as GgufArray);

    public override int GetHashCode() => HashCode.Combine(ElementType, Count);

    /// <summary>At most the first 8 items, then the length: <c>[a, b, … (32000 items)]</c>.</summary>
    public override string ToString()
    {
        const int shown = 8;
        var text = new StringBuilder("[");
        for (var i = 0; i < Math.Min(shown, Count); i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }
            text.Append(this[i].ToString());
        }
        if (Count > shown)
        {
            text.Append(CultureInfo.InvariantCulture, $", … ({Count} items)");
        }
        return text.Append(']').ToString();
    }
}
