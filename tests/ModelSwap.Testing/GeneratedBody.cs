namespace ModelSwap.Testing;

/// <summary>A head, <c>length</c> bytes of 'x' made on the fly, and a tail: a huge body that is never held.</summary>
public sealed class GeneratedBody(byte[] head, long length, byte[] tail) : Stream
{
    private long _position;

    public override int Read(byte[] buffer, int offset, int count)
    {
        var written = 0;
        while (written < count && _position < head.Length + length + tail.Length)
        {
            int n;
            if (_position < head.Length)
            {
                n = (int)Math.Min(count - written, head.Length - _position);
                Array.Copy(head, _position, buffer, offset + written, n);
            }
            else if (_position < head.Length + length)
            {
                n = (int)Math.Min(count - written, head.Length + length - _position);
                buffer.AsSpan(offset + written, n).Fill((byte)'x');
            }
            else
            {
                var at = _position - head.Length - length;
                n = (int)Math.Min(count - written, tail.Length - at);
                Array.Copy(tail, at, buffer, offset + written, n);
            }
            written += n;
            _position += n;
        }
        return written;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => head.Length + length + tail.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
