using System.Buffers.Binary;
using System.Text;

namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>
/// Writes GGUF files: metadata, tensor infos whose offsets are exactly the padded running totals
/// (llama.cpp rejects anything else), then tensor data, each tensor padded to the alignment.
/// Tensor data can be streamed, so a 130 MB model never sits in memory whole.
/// </summary>
internal sealed class GgufWriter
{
    private readonly OrderedDictionary<string, GgufValue> _metadata = new(StringComparer.Ordinal);
    private readonly List<PendingTensor> _tensors = [];

    /// <param name="version">2 or 3; both have the same layout, 3 is what llama.cpp writes.</param>
    public GgufWriter(uint version = 3)
    {
        if (version is not (2 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "Only GGUF versions 2 and 3 can be written.");
        }
        Version = version;
    }

    public uint Version { get; }

    /// <summary><c>general.alignment</c> when set as a u32, else 32 (written into the file either way).</summary>
    public uint Alignment => _metadata.TryGetValue("general.alignment", out var v) && v.Value is uint a ? a : GgufFile.DefaultAlignment;

    public IReadOnlyDictionary<string, GgufValue> Metadata => _metadata;

    /// <summary>Adds or replaces a metadata entry; replacing keeps the entry's original position.</summary>
    public GgufWriter Set(string key, GgufValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key == "general.alignment" && (value.Value is not uint a || a == 0 || (a & (a - 1)) != 0))
        {
            throw new ArgumentException("general.alignment must be a u32 power of two.", nameof(value));
        }
        _metadata[key] = value;
        return this;
    }

    /// <summary>Adds a tensor whose bytes are already encoded in <paramref name="type"/>.</summary>
    public GgufWriter AddTensor(string name, IReadOnlyList<long> dimensions, GgmlType type, ReadOnlyMemory<byte> data) =>
        AddTensor(name, dimensions, type, stream => stream.Write(data.Span));

    /// <summary>An F32 tensor.</summary>
    public GgufWriter AddTensor(string name, IReadOnlyList<long> dimensions, float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return AddTensor(name, dimensions, GgmlType.F32, stream => WriteElements(stream, data, GgmlType.F32));
    }

    /// <summary>
    /// Adds a tensor whose data is produced while the file is written: <paramref name="writeData"/>
    /// must write exactly the tensor's byte size, which is checked.
    /// </summary>
    public GgufWriter AddTensor(string name, IReadOnlyList<long> dimensions, GgmlType type, Action<Stream> writeData)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(writeData);
        if (dimensions.Count is 0 or > 4 || dimensions.Any(d => d <= 0))
        {
            throw new ArgumentException($"Tensor '{name}' needs 1 to 4 positive dimensions.", nameof(dimensions));
        }
        if (_tensors.Any(t => t.Info.Name == name))
        {
            throw new ArgumentException($"Tensor '{name}' was already added.", nameof(name));
        }
        var info = new GgufTensorInfo(name, dimensions.ToArray(), type, 0);
        var size = info.ByteSize ?? throw new ArgumentException(
            $"Tensor '{name}': type {type} is unknown or its first dimension {dimensions[0]} is not a whole number of blocks.", nameof(type));
        _tensors.Add(new PendingTensor(info, size, writeData));
        return this;
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, then renames it, so a reader never sees half a file.</summary>
    public void WriteTo(string path)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                WriteTo(stream);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var alignment = Alignment;
        var metadata = new OrderedDictionary<string, GgufValue>(_metadata, StringComparer.Ordinal);
        metadata.TryAdd("general.alignment", GgufValue.UInt32(alignment));

        var output = new CountingStream(stream);
        var header = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        header.Write(0x46554747u); // "GGUF"
        header.Write(Version);
        header.Write((ulong)_tensors.Count);
        header.Write((ulong)metadata.Count);
        foreach (var (key, value) in metadata)
        {
            WriteString(header, key);
            header.Write((uint)value.Type);
            WriteValue(header, value);
        }
        ulong offset = 0;
        foreach (var tensor in _tensors)
        {
            WriteString(header, tensor.Info.Name);
            header.Write((uint)tensor.Info.Dimensions.Count);
            foreach (var d in tensor.Info.Dimensions)
            {
                header.Write((ulong)d);
            }
            header.Write((uint)tensor.Info.Type);
            header.Write(offset);
            offset += (ulong)Pad(tensor.Size, alignment);
        }
        header.Flush();
        WritePadding(output, alignment);
        foreach (var tensor in _tensors)
        {
            var before = output.Written;
            tensor.WriteData(output);
            var written = output.Written - before;
            if (written != tensor.Size)
            {
                throw new InvalidOperationException($"Tensor '{tensor.Info.Name}' wrote {written} bytes of data; its shape and type need {tensor.Size}.");
            }
            WritePadding(output, alignment);
        }
        output.Flush();
    }

    /// <summary>Encodes floats as F32 or F16 little-endian, in chunks.</summary>
    public static void WriteElements(Stream stream, ReadOnlySpan<float> values, GgmlType type)
    {
        var width = type switch
        {
            GgmlType.F32 => 4,
            GgmlType.F16 => 2,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Only F32 and F16 are encoded here."),
        };
        Span<byte> chunk = stackalloc byte[4096];
        var perChunk = chunk.Length / width;
        for (var start = 0; start < values.Length; start += perChunk)
        {
            var slice = values.Slice(start, Math.Min(perChunk, values.Length - start));
            for (var i = 0; i < slice.Length; i++)
            {
                if (width == 4)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(chunk[(i * 4)..], slice[i]);
                }
                else
                {
                    BinaryPrimitives.WriteHalfLittleEndian(chunk[(i * 2)..], (Half)slice[i]);
                }
            }
            stream.Write(chunk[..(slice.Length * width)]);
        }
    }

    private static void WriteValue(BinaryWriter writer, GgufValue value)
    {
        switch (value.Value)
        {
            case byte v: writer.Write(v); break;
            case sbyte v: writer.Write(v); break;
            case ushort v: writer.Write(v); break;
            case short v: writer.Write(v); break;
            case uint v: writer.Write(v); break;
            case int v: writer.Write(v); break;
            case float v: writer.Write(v); break;
            case bool v: writer.Write((byte)(v ? 1 : 0)); break;
            case string v: WriteString(writer, v); break;
            case ulong v: writer.Write(v); break;
            case long v: writer.Write(v); break;
            case double v: writer.Write(v); break;
            case GgufArray array:
                writer.Write((uint)array.ElementType);
                writer.Write((ulong)array.Count);
                for (var i = 0; i < array.Count; i++)
                {
                    WriteValue(writer, array[i]);
                }
                break;
            default:
                throw new InvalidOperationException($"Cannot write a {value.Value.GetType().Name} as GGUF.");
        }
    }

    private static void WriteString(BinaryWriter writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static void WritePadding(CountingStream output, uint alignment)
    {
        var padding = Pad(output.Written, alignment) - output.Written;
        Span<byte> zeros = stackalloc byte[(int)padding];
        zeros.Clear();
        output.Write(zeros);
    }

    private static long Pad(long size, uint alignment) => (size + alignment - 1) / alignment * alignment;

    private sealed record PendingTensor(GgufTensorInfo Info, long Size, Action<Stream> WriteData);
}
