using System.Text;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// A model server's response body that may not stay silent longer than timeouts.idle. On a stream of
/// server-sent events the silence ends with an error event in the OpenAI envelope followed by the end
/// of the stream, so clients see why it stopped; any other body fails with <see cref="UpstreamTimeoutException"/>
/// (the client's connection is then closed, so a cut body is never taken for a whole one).
/// </summary>
internal sealed class IdleTimeoutStream(Stream inner, TimeSpan idle, TimeProvider time, bool isEventStream) : Stream
{
    // One timer for the stream, re-armed before each read (cheaper than a timer per read).
    private readonly CancellationTokenSource _timer = new(Timeout.InfiniteTimeSpan, time);
    private byte[]? _pendingEvent;
    private int _pendingOffset;
    private bool _ended;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_pendingEvent is not null)
        {
            return DrainEvent(buffer);
        }
        if (_ended)
        {
            return 0;
        }
        _timer.CancelAfter(idle);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token);
        try
        {
            var read = await inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
            _timer.CancelAfter(Timeout.InfiniteTimeSpan);
            return read;
        }
        catch (OperationCanceledException) when (_timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var error = UpstreamTimeoutException.Idle(idle);
            if (!isEventStream)
            {
                throw error;
            }
            _ended = true;
            await inner.DisposeAsync().ConfigureAwait(false);
            var json = System.Text.Json.JsonSerializer.Serialize(new Core.OpenAi.OpenAiErrorEnvelope(
                new Core.OpenAi.OpenAiError(error.Message, Core.OpenAi.OpenAiErrorTypes.Server, error.Code)));
            _pendingEvent = Encoding.UTF8.GetBytes($"\n\ndata: {json}\n\n");
            return DrainEvent(buffer);
        }
    }

    private int DrainEvent(Memory<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _pendingEvent!.Length - _pendingOffset);
        _pendingEvent.AsMemory(_pendingOffset, count).CopyTo(buffer);
        _pendingOffset += count;
        if (_pendingOffset == _pendingEvent.Length)
        {
            _pendingEvent = null;
        }
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _timer.Dispose();
        }
        base.Dispose(disposing);
    }
}
