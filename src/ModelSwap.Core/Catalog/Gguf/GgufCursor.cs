using System.Buffers.Binary;
using System.Text;

namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>
/// Buffered little-endian reading with the position always known, so every error names its
/// offset, and with every length checked against the bytes left and the limits before anything
/// is allocated. A short read becomes a <see cref="GgufFormatException"/>, never an EndOfStream.
/// </summary>
internal sealed class GgufCursor
{
    private readonly Stream _stream;
    private readonly long? _length;
    private readonly long _maxBytes;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public GgufCursor(Stream stream, long? length, long maxBytes)
    {
        _stream = stream;
        _length = length;
        _maxBytes = maxBytes;
    }

    /// <summary>Bytes consumed from the start of the GGUF.</summary>
    public long Position { get; private set; }

    /// <summary>Total length of the GGUF when the stream can tell, else null.</summary>
    public long? Length => _length;

    /// <summary>Bytes left when the length is known.</summary>
    public long? Remaining => _length - Position;

    /// <summary>
    /// Fails unless <paramref name="count"/> more bytes can exist: within the file and within the
    /// header budget. Called before any allocation sized by a number read from the file.
    /// </summary>
    public void Require(ulong count, string what)
    {
        if (Remaining is long left && count > (ulong)left)
        {
            throw Truncated(what, count, left);
        }
        if (count > (ulong)(_maxBytes - Position))
        {
            throw new GgufFormatException(
                $"{what} needs {count} bytes, which would take the header past the {_maxBytes}-byte limit", Position);
        }
    }

    public GgufFormatException Truncated(string what, ulong needed, long left) =>
        new($"unexpected end of file while reading {what}: needs {needed} bytes, only {left} left", Position);

    public GgufFormatException Error(string problem) => new(problem, Position);

    public byte ReadUInt8(string what) => Take(1, what)[0];

    public ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what));

    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    public float ReadFloat32(string what) => BinaryPrimitives.ReadSingleLittleEndian(Take(4, what));

    public double ReadFloat64(string what) => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, what));

    /// <summary>A GGUF string: u64 byte length, then UTF-8 bytes (invalid sequences become U+FFFD, as llama.cpp tolerates them).</summary>
    public string ReadString(string what, long maxLength)
    {
        var start = Position;
        var length = ReadUInt64($"the length of {what}");
        if (length > (ulong)maxLength)
        {
            throw new GgufFormatException($"{what} claims {length} bytes, more than the {maxLength}-byte limit for a string", start);
        }
        Require(length, what);
        var count = (int)length;
        if (count <= _buffer.Length)
        {
            return Encoding.UTF8.GetString(Take(count, what));
        }
        var bytes = new byte[count];
        var done = 0;
        while (done < count)
        {
            var chunk = Math.Min(_buffer.Length, count - done);
            Take(chunk, what).CopyTo(bytes.AsSpan(done));
            done += chunk;
        }
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Reads past <paramref name="count"/> bytes (the stream need not seek).</summary>
    public void Skip(ulong count, string what)
    {
        Require(count, what);
        var left = count;
        while (left > 0)
        {
            var chunk = (int)Math.Min(left, (ulong)_buffer.Length);
            Take(chunk, what);
            left -= (ulong)chunk;
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (_end - _start < count)
        {
            Fill(count, what);
        }
        var span = _buffer.AsSpan(_start, count);
        _start += count;
        Position += count;
        return span;
    }

    private void Fill(int count, string what)
    {
        if (Position + count > _maxBytes)
        {
            throw new GgufFormatException($"reading {what} would take the header past the {_maxBytes}-byte limit", Position);
        }
        var have = _end - _start;
        _buffer.AsSpan(_start, have).CopyTo(_buffer);
        _start = 0;
        _end = have;
        while (_end < count)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                throw Truncated(what, (ulong)count, _end);
            }
            _end += read;
        }
    }
}
