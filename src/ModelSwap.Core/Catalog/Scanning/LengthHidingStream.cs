namespace ModelSwap.Core.Catalog.Scanning;

/// <summary>
/// A read-only view of a file that does not tell its length. The GGUF reader then reads the header
/// without rejecting a file whose tensor data is not all there yet, so the scanner can tell a
/// file still being copied (header whole, data short) from a corrupt one, and say which it is.
/// </summary>
internal sealed class LengthHidingStream(Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
