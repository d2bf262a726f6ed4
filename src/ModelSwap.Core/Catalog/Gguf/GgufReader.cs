using System.Buffers.Binary;

namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>
/// Reads the header of a GGUF file (versions 2 and 3; version 2 has the same layout): metadata of
/// every value type, nested arrays, and tensor infos. Tensor data is never read. Every count and
/// length is checked against the bytes left in the file and against <see cref="GgufReadLimits"/>
/// before anything is allocated, so a hostile file fails fast with a
/// <see cref="GgufFormatException"/> naming the problem and its byte offset.
/// </summary>
public static class GgufReader
{
    private const uint Magic = 0x46554747; // "GGUF" read as a little-endian u32
    private const long MinTensorInfoBytes = 8 + 4 + 4 + 8; // empty name, n_dims, type, offset
    private const long MinKeyValueBytes = 8 + 4 + 1; // empty key, type, smallest value
    private const int MaxDimensions = 4; // GGML_MAX_DIMS

    public static GgufFile Read(string path, GgufReadLimits? limits = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            return Read(stream, limits);
        }
        catch (GgufFormatException e)
        {
            throw new GgufFormatException(e.Problem, e.Offset, path, e);
        }
    }

    /// <summary>Reads from the stream's current position; offsets are relative to it.</summary>
    public static GgufFile Read(Stream stream, GgufReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= GgufReadLimits.Default;
        long? length = stream.CanSeek ? stream.Length - stream.Position : null;
        var cursor = new GgufCursor(stream, length, limits.MaxHeaderBytes);

        var version = ReadPreamble(cursor);
        var tensorCount = ReadCount(cursor, "tensor count", limits.MaxTensorCount, MinTensorInfoBytes);
        var kvCount = ReadCount(cursor, "metadata key-value count", limits.MaxKeyValueCount, MinKeyValueBytes);

        var metadata = new OrderedDictionary<string, GgufValue>(StringComparer.Ordinal);
        for (long i = 0; i < kvCount; i++)
        {
            var at = cursor.Position;
            var key = cursor.ReadString($"the key of metadata entry {i}", limits.MaxStringLength);
            var type = ReadValueType(cursor, $"the type of key '{key}'");
            var value = ReadValue(cursor, type, $"the value of key '{key}'", limits, depth: 0);
            if (!metadata.TryAdd(key, value))
            {
                throw new GgufFormatException($"duplicate metadata key '{key}'", at);
            }
        }

        var alignment = ReadAlignment(metadata, cursor);
        var tensors = ReadTensorInfos(cursor, tensorCount, limits);
        var dataOffset = AlignUp(cursor.Position, alignment);
        CheckTensorExtents(cursor, tensors, dataOffset);
        return new GgufFile(version, new System.Collections.ObjectModel.ReadOnlyDictionary<string, GgufValue>(metadata), tensors, alignment, dataOffset);
    }

    private static uint ReadPreamble(GgufCursor cursor)
    {
        if (cursor.Length is long total && total < 4)
        {
            throw cursor.Error($"file is {total} bytes long, too short to hold the 4-byte GGUF magic");
        }
        var magic = cursor.ReadUInt32("the magic number");
        if (magic != Magic)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, magic);
            throw new GgufFormatException($"not a GGUF file: magic is {Convert.ToHexString(bytes)}, expected 47475546 (\"GGUF\")", 0);
        }
        var version = cursor.ReadUInt32("the version");
        return version switch
        {
            2 or 3 => version,
            1 => throw new GgufFormatException("GGUF version 1 is not supported (the 2023 format with 32-bit counts); re-convert the model with a current llama.cpp", 4),
            _ when BinaryPrimitives.ReverseEndianness(version) is 2 or 3 =>
                throw new GgufFormatException("big-endian GGUF files are not supported", 4),
            _ => throw new GgufFormatException($"unsupported GGUF version {version} (supported: 2 and 3)", 4),
        };
    }

    private static long ReadCount(GgufCursor cursor, string what, long max, long minBytesEach)
    {
        var at = cursor.Position;
        var count = cursor.ReadUInt64(what);
        if (count > (ulong)max)
        {
            throw new GgufFormatException($"{what} is {count}, more than the limit of {max}", at);
        }
        if (cursor.Remaining is long left && AtLeast(count, (ulong)minBytesEach) > (ulong)left)
        {
            throw new GgufFormatException($"{what} is {count}, but only {left} bytes follow (each entry needs at least {minBytesEach})", at);
        }
        return (long)count;
    }

    private static GgufValueType ReadValueType(GgufCursor cursor, string what)
    {
        var at = cursor.Position;
        var raw = cursor.ReadUInt32(what);
        if (raw > (uint)GgufValueType.Float64)
        {
            throw new GgufFormatException($"{what} is {raw}, not a GGUF value type (0-12)", at);
        }
        return (GgufValueType)raw;
    }

    private static GgufValue ReadValue(GgufCursor cursor, GgufValueType type, string what, GgufReadLimits limits, int depth) => type switch
    {
        GgufValueType.UInt8 => GgufValue.UInt8(cursor.ReadUInt8(what)),
        GgufValueType.Int8 => GgufValue.Int8((sbyte)cursor.ReadUInt8(what)),
        GgufValueType.UInt16 => GgufValue.UInt16(cursor.ReadUInt16(what)),
        GgufValueType.Int16 => GgufValue.Int16((short)cursor.ReadUInt16(what)),
        GgufValueType.UInt32 => GgufValue.UInt32(cursor.ReadUInt32(what)),
        GgufValueType.Int32 => GgufValue.Int32((int)cursor.ReadUInt32(what)),
        GgufValueType.Float32 => GgufValue.Float32(cursor.ReadFloat32(what)),
        GgufValueType.Bool => GgufValue.Bool(cursor.ReadUInt8(what) != 0),
        GgufValueType.String => GgufValue.String(cursor.ReadString(what, limits.MaxStringLength)),
        GgufValueType.UInt64 => GgufValue.UInt64(cursor.ReadUInt64(what)),
        GgufValueType.Int64 => GgufValue.Int64((long)cursor.ReadUInt64(what)),
        GgufValueType.Float64 => GgufValue.Float64(cursor.ReadFloat64(what)),
        _ => GgufValue.Array(ReadArray(cursor, what, limits, depth + 1)),
    };

    private static GgufArray ReadArray(GgufCursor cursor, string what, GgufReadLimits limits, int depth)
    {
        var at = cursor.Position;
        if (depth > limits.MaxArrayDepth)
        {
            throw new GgufFormatException($"{what} nests arrays deeper than the limit of {limits.MaxArrayDepth}", at);
        }
        var elementType = ReadValueType(cursor, $"the element type of {what}");
        var countAt = cursor.Position;
        var count = cursor.ReadUInt64($"the length of {what}");
        if (count > (ulong)limits.MaxArrayLength)
        {
            throw new GgufFormatException($"{what} claims {count} items, more than the limit of {limits.MaxArrayLength}", countAt);
        }
        // Every element takes at least this many bytes, so the claim can be checked before allocating.
        cursor.Require(AtLeast(count, MinElementBytes(elementType)), $"{count} items of {what}");
        var n = (int)count;
        // One description per array, not per item: a 256k-token vocabulary would otherwise build 256k strings.
        var item = $"an item of {what}";
        if (limits.KeepArraysUpTo is { } keep && n > keep)
        {
            SkipItems(cursor, elementType, n, item, limits, depth);
            return GgufArray.Omitted(elementType, n);
        }
        return elementType switch
        {
            GgufValueType.UInt8 => new GgufArray(elementType, Fill(cursor, n, i => cursor.ReadUInt8(item))),
            GgufValueType.Int8 => new GgufArray(elementType, Fill(cursor, n, i => (sbyte)cursor.ReadUInt8(item))),
            GgufValueType.UInt16 => new GgufArray(elementType, Fill(cursor, n, i => cursor.ReadUInt16(item))),
            GgufValueType.Int16 => new GgufArray(elementType, Fill(cursor, n, i => (short)cursor.ReadUInt16(item))),
            GgufValueType.UInt32 => new GgufArray(elementType, Fill(cursor, n, i => cursor.ReadUInt32(item))),
            GgufValueType.Int32 => new GgufArray(elementType, Fill(cursor, n, i => (int)cursor.ReadUInt32(item))),
            GgufValueType.Float32 => new GgufArray(elementType, Fill(cursor, n, i => cursor.ReadFloat32(item))),
            GgufValueType.Bool => new GgufArray(elementType, Fill(cursor, n, i => cursor.ReadUInt8(item) != 0)),
            GgufValueType.String => new GgufArray(elementType, Fill(cursor, n, i => cursor.ReadString(item, limits.MaxStringLength))),
            GgufValueType.UInt64 => new GgufArray(elementType, Fill(cursor, n, i => cursor.ReadUInt64(item))),
            GgufValueType.Int64 => new GgufArray(elementType, Fill(cursor, n, i => (long)cursor.ReadUInt64(item))),
            GgufValueType.Float64 => new GgufArray(elementType, Fill(cursor, n, i => cursor.ReadFloat64(item))),
            _ => new GgufArray(elementType, Fill(cursor, n, i => ReadArray(cursor, item, limits, depth + 1))),
        };
    }

    /// <summary>Reads past <paramref name="count"/> items with the same checks as reading them, keeping nothing.</summary>
    private static void SkipItems(GgufCursor cursor, GgufValueType elementType, int count, string item, GgufReadLimits limits, int depth)
    {
        switch (elementType)
        {
            case GgufValueType.String:
                for (var i = 0; i < count; i++)
                {
                    var at = cursor.Position;
                    var length = cursor.ReadUInt64($"the length of {item}");
                    if (length > (ulong)limits.MaxStringLength)
                    {
                        throw new GgufFormatException($"{item} claims {length} bytes, more than the {limits.MaxStringLength}-byte limit for a string", at);
                    }
                    cursor.Skip(length, item);
                }
                break;
            case GgufValueType.Array:
                for (var i = 0; i < count; i++)
                {
                    ReadArray(cursor, item, limits, depth + 1);
                }
                break;
            default:
                cursor.Skip((ulong)count * MinElementBytes(elementType), item);
                break;
        }
    }

    /// <summary>
    /// When the stream's length is unknown the count is only checked against the limits, so the
    /// array grows as items really arrive instead of trusting the claim up front.
    /// </summary>
    private static T[] Fill<T>(GgufCursor cursor, int count, Func<int, T> read)
    {
        var items = new T[cursor.Remaining is null ? Math.Min(count, 65_536) : count];
        for (var i = 0; i < count; i++)
        {
            if (i == items.Length)
            {
                Array.Resize(ref items, (int)Math.Min(count, 2L * items.Length));
            }
            items[i] = read(i);
        }
        return items;
    }

    /// <summary>count × size, saturating instead of wrapping so a huge claim stays huge.</summary>
    private static ulong AtLeast(ulong count, ulong size) => count > ulong.MaxValue / size ? ulong.MaxValue : count * size;

    private static ulong MinElementBytes(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 or GgufValueType.String => 8,
        _ => 4 + 8, // nested array: element type and length
    };

    private static uint ReadAlignment(OrderedDictionary<string, GgufValue> metadata, GgufCursor cursor)
    {
        if (!metadata.TryGetValue("general.alignment", out var value))
        {
            return GgufFile.DefaultAlignment;
        }
        if (value.Type != GgufValueType.UInt32 || value.Value is not uint alignment || alignment == 0 || (alignment & (alignment - 1)) != 0)
        {
            throw cursor.Error($"general.alignment must be a u32 power of two, but is {value.Type} {value}");
        }
        return alignment;
    }

    private static List<GgufTensorInfo> ReadTensorInfos(GgufCursor cursor, long count, GgufReadLimits limits)
    {
        var tensors = new List<GgufTensorInfo>((int)Math.Min(count, 4096));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < count; i++)
        {
            var at = cursor.Position;
            var name = cursor.ReadString($"the name of tensor {i}", limits.MaxStringLength);
            var dimsAt = cursor.Position;
            var dimCount = cursor.ReadUInt32($"the dimension count of tensor '{name}'");
            if (dimCount > MaxDimensions)
            {
                throw new GgufFormatException($"tensor '{name}' has {dimCount} dimensions, more than ggml's {MaxDimensions}", dimsAt);
            }
            var dims = new long[dimCount];
            long elements = 1;
            for (var d = 0; d < dimCount; d++)
            {
                var dimAt = cursor.Position;
                var dim = cursor.ReadUInt64($"dimension {d} of tensor '{name}'");
                if (dim > long.MaxValue || (elements != 0 && dim != 0 && (ulong)elements > (ulong)long.MaxValue / dim))
                {
                    throw new GgufFormatException($"tensor '{name}' has {dim} as dimension {d}, making its element count overflow", dimAt);
                }
                dims[d] = (long)dim;
                elements *= (long)dim;
            }
            var typeAt = cursor.Position;
            var type = (GgmlType)cursor.ReadUInt32($"the type of tensor '{name}'");
            if (GgmlTypeSizes.Of(type) is var (blockElements, _) && dimCount > 0 && dims[0] % blockElements != 0)
            {
                throw new GgufFormatException($"tensor '{name}' of type {type} has rows of {dims[0]} elements, not a multiple of the type's block of {blockElements}", typeAt);
            }
            var offset = cursor.ReadUInt64($"the data offset of tensor '{name}'");
            if (!names.Add(name))
            {
                throw new GgufFormatException($"duplicate tensor name '{name}'", at);
            }
            tensors.Add(new GgufTensorInfo(name, dims, type, offset));
        }
        return tensors;
    }

    /// <summary>
    /// A header that is whole but whose tensor data runs past the end of the file is a truncated
    /// (or still-copying) model; reporting it here lets a scanner skip it before a loader fails.
    /// </summary>
    private static void CheckTensorExtents(GgufCursor cursor, List<GgufTensorInfo> tensors, long dataOffset)
    {
        if (cursor.Length is not long length || tensors.Count == 0)
        {
            return;
        }
        foreach (var tensor in tensors)
        {
            if (GgmlTypeSizes.Of(tensor.Type) is not var (blockElements, blockBytes))
            {
                continue;
            }
            // 128-bit arithmetic: offsets and sizes near 2^64 must not wrap around into "fits".
            var size = (UInt128)(ulong)(tensor.ElementCount / blockElements) * (uint)blockBytes;
            var end = (UInt128)(ulong)dataOffset + tensor.Offset + size;
            if (end > (ulong)length)
            {
                throw new GgufFormatException(
                    $"the data of tensor '{tensor.Name}' ({size} bytes at data offset {tensor.Offset}) ends past the end of the file ({length} bytes): the file is truncated or still being copied",
                    length);
            }
        }
    }

    private static long AlignUp(long position, uint alignment) => (position + alignment - 1) / alignment * alignment;
}
