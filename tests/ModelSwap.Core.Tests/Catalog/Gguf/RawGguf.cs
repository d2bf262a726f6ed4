using System.Text;

namespace ModelSwap.Core.Tests.Catalog.Gguf;

/// <summary>Hand-built GGUF bytes, for headers the real writer would never produce.</summary>
internal sealed class RawGguf
{
    private readonly MemoryStream _bytes = new();
    private readonly BinaryWriter _writer;

    public RawGguf() => _writer = new BinaryWriter(_bytes, Encoding.UTF8, leaveOpen: true);

    /// <summary>Magic, version, tensor count and kv count.</summary>
    public static RawGguf Header(uint version = 3, ulong tensors = 0, ulong kvs = 0) =>
        new RawGguf().Bytes("GGUF"u8).U32(version).U64(tensors).U64(kvs);

    public RawGguf Bytes(ReadOnlySpan<byte> bytes)
    {
        _writer.Write(bytes);
        return this;
    }

    public RawGguf U32(uint value)
    {
        _writer.Write(value);
        return this;
    }

    public RawGguf U64(ulong value)
    {
        _writer.Write(value);
        return this;
    }

    public RawGguf Str(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return U64((ulong)bytes.Length).Bytes(bytes);
    }

    /// <summary>A key and a u32 value.</summary>
    public RawGguf KvU32(string key, uint value) => Str(key).U32(4).U32(value);

    /// <summary>A tensor info: name, dims, type, offset.</summary>
    public RawGguf Tensor(string name, ulong[] dims, uint type = 0, ulong offset = 0)
    {
        Str(name).U32((uint)dims.Length);
        foreach (var d in dims)
        {
            U64(d);
        }
        return U32(type).U64(offset);
    }

    public byte[] ToArray()
    {
        _writer.Flush();
        return _bytes.ToArray();
    }
}
